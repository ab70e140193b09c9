/* Text output is hostile too: strings from an image, an engine or an
 * advisory shown to a person, with every byte that would drive the terminal
 * instead of showing a character written as "\xNN". */
#include "report-int.h"

/* The length of the UTF-8 sequence starting s[0..n) when it is a valid one
 * (shortest form, no surrogate, at most U+10FFFF) and not a C1 control
 * (U+0080-U+009F); 0 otherwise. s[0] is >= 0x80. */
static size_t printable_utf8(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((len == 2 && cp < 0xa0) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* The length of the character at p[0..n) when it is shown as it is; 0
 * when its first byte is written as "\xNN". */
static size_t plain_len(const unsigned char *p, size_t n)
{
	if (p[0] >= 0x80)
		return printable_utf8(p, n);
	/* TAB only moves to the next column: kept */
	return (p[0] >= 0x20 && p[0] != 0x7f) || p[0] == '\t';
}

bool bw_report_text_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0; /* the length, once a byte needs a closer look */
	for (size_t i = 0; p[i];) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++; /* printable ASCII, by far the most of it */
			continue;
		}
		if (!n)
			n = i + strlen(s + i);
		size_t len = plain_len(p + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

void bw_report_put_text(FILE *out, const char *s, size_t max, size_t width)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strnlen((const char *)p, max), i = 0, plain = 0, written = 0;
	while (i < n) {
		unsigned char c = p[i];
		size_t len = plain_len(p + i, n - i);
		if (len) {
			i += len;
			plain += len;
			continue;
		}
		/* a character that max cuts is left out, not escaped */
		if (n - i < 4 && printable_utf8(p + i, strnlen((const char *)p + i, 4)) > n - i)
			break;
		fwrite(p + i - plain, 1, plain, out);
		written += plain + 4;
		plain = 0;
		fprintf(out, "\\x%02x", c);
		i++;
	}
	fwrite(p + i - plain, 1, plain, out);
	written += plain;
	if (written < width)
		fprintf(out, "%*s", (int)(width - written), "");
}
