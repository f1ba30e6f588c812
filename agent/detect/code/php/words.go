package php

import "github.com/lambdawaf/lambdawaf/agent/detect/lex"

// The words PHP reads specially: superglobals and ini settings.

var phpSuperglobals = lex.NewWordList("$_get", "$_post", "$_server", "$_cookie", "$_request", "$_files", "$_env", "$_session", "$globals", "$http_raw_post_data", "$http_get_vars", "$http_post_vars")

var phpIniWords = lex.NewWordList("allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file", "disable_functions", "open_basedir", "safe_mode", "register_globals", "suhosin.", "enable_dl", "magic_quotes_gpc", "short_open_tag", "display_errors", "error_log", "include_path", "mail.add_x_header", "sendmail_path", "memory_limit", "extension_dir", "upload_tmp_dir", "session.save_path", "max_execution_time", "upload_max_filesize", "post_max_size", "file_uploads", "expose_php", "user_ini.filename", "phar.readonly", "zend_extension", "opcache.", "sys_temp_dir", "disable_classes")

// Superglobal returns the index of the first PHP superglobal ($_GET,
// $GLOBALS) that ends a word in s, or -1.
func Superglobal(s string, have *lex.ByteSet) int {
	_, i := phpSuperglobals.Index(s, have, func(i int, w string) bool { return i+len(w) == len(s) || !lex.IsWord(s[i+len(w)]) })
	return i
}

// IniSetting returns the index of the first PHP ini setting named before
// the last '=' of s, or -1.
func IniSetting(s string, have *lex.ByteSet) int {
	lastEq := lex.LastIndexByte(s, '=')
	_, i := phpIniWords.Index(s, have, func(i int, _ string) bool { return i < lastEq })
	return i
}
