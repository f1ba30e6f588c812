package php

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// phpExtPrefixes are the name prefixes of PHP's bundled extensions
// (array_diff, date_add, pg_query, ldap_search, sodium_crypto_box, ...).
// A call of a name carrying one, in a parameter, is PHP code; but such
// names also appear in developer questions and logs, so the check runs at
// paranoia 2 only.
var phpExtPrefixes = lex.NewWordList("array_", "date_", "pg_", "ldap_", "odbc_", "sodium_", "tidy_", "zend_",
	"mysqli_", "mysql_", "mb_", "preg_", "curl_", "openssl_", "gz", "xml_", "xmlwriter_", "json_", "stream_",
	"socket_", "posix_", "pcntl_", "imap_", "ftp_", "session_", "ob_", "func_", "call_user_", "iconv_",
	"grapheme_", "hash_", "mcrypt_", "sqlite_", "oci_", "ibase_", "fb_", "bz", "zip_", "finfo_", "exif_",
	"image", "gmp_", "bc", "intl", "numfmt_", "msgfmt_", "collator_", "datefmt_", "ctype_", "filter_",
	"libxml_", "dom_", "simplexml_", "spl_", "iterator_", "class_", "method_", "property_", "get_", "set_",
	"ini_", "proc_", "shell_", "apache_", "opcache_", "apcu_", "dba_", "enchant_", "gettext", "readline_",
	"shmop_", "sem_", "msg_", "snmp", "sysvmsg_", "xmlrpc_", "xsl_", "yaml_", "zlib_", "inflate_", "deflate_",
	"php_", "htmlspecial", "html_entity_", "str_", "substr_", "strip", "parse_", "var_", "debug_", "error_",
	"trigger_", "register_", "highlight_", "show_", "escapeshell", "mhash", "ssh2_", "dns_", "gethostby",
	"getmy", "stream_socket_", "fsock", "pfsock", "curl_multi_", "mail", "unserialize", "serialize", "base64_",
	"convert_", "quoted_printable_", "uu", "crc32", "md5", "sha1", "password_", "random_", "mt_", "lcg_")

// NamedCall finds a call of a function named like PHP's extensions,
// "array_diff (", "date_ADD()", "gethostbyname(": the name, optional
// blanks, then '(' at the end of the value or with arguments. s is
// lower-cased. Paranoia 2.
func NamedCall(s string, have *lex.ByteSet) int {
	for off := 0; off < len(s); {
		p := strings.IndexByte(s[off:], '(')
		if p < 0 {
			return -1
		}
		p += off
		off = p + 1
		k := p
		k = lex.SkipSpaceBack(s, k)
		b := k
		for b > 0 && lex.IsWord(s[b-1]) {
			b--
		}
		name := s[b:k]
		if len(name) < 6 || b > 0 && (s[b-1] == '.' || s[b-1] == '$' || s[b-1] == '>' || s[b-1] == ':') {
			continue
		}
		if strings.IndexByte(name, '_') < 0 && !strings.HasPrefix(name, "gethostby") && !strings.HasPrefix(name, "getmy") && !strings.HasPrefix(name, "fsock") {
			continue
		}
		// the argument: none, or code (a variable, a string, a number);
		// a bare word reads as a label, "sodium_add_to_recipe(foo)"
		if a := lex.SkipSpace(s, p+1); a < len(s) && s[a] != ')' && s[a] != '$' && s[a] != '\'' && s[a] != '"' && !lex.IsDigit(s[a]) {
			continue
		}
		if phpExtPrefixes.ProperPrefix(name, have) {
			return b
		}
	}
	return -1
}
