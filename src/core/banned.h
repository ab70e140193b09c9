/* Functions that invite overflows, silent misparses or locale-dependent
 * answers: using one is a compile error (git's banned.h and sane ctype).
 *
 * This header must come after every system header of a translation unit
 * (core/core.h includes it last; scripts/check-banned.py fails the build's
 * tests when a file includes a system header after a project one): a
 * system header read after it could redefine a name again.
 *
 * Instead of:
 *   strcpy, strcat, strncpy, strncat, sprintf, vsprintf
 *                        snprintf, bw_buf, memcpy with an explicit length
 *   strtok, strtok_r     strsep, memchr/strcspn over a slice
 *   atoi, atol           strtol/strtoull with an end pointer and a range
 *   gmtime, localtime, localtime_r, ctime, ctime_r, asctime, asctime_r
 *                        gmtime_r and strftime: bulwark writes UTC, the
 *                        same bytes in every time zone
 *   mktemp, tmpnam, tempnam
 *                        mkstemp, mkdtemp
 *   gets                 fgets, getline
 *   is*, to* of <ctype.h>
 *                        bw_isdigit, bw_isalpha, ... of core/core.h: ASCII
 *                        only, the same under every locale, any int
 *   strcasecmp, strncasecmp, strcasestr
 *                        bw_strcasecmp, bw_strncasecmp, bw_strcasestr (glibc
 *                        folds case by LC_CTYPE: not 'I' to 'i' in Turkish)
 */
#ifndef BW_BANNED_H
#define BW_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)

#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef localtime_r
#define localtime_r(t, tm) BANNED(localtime_r)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef ctime_r
#define ctime_r(t, buf) BANNED(ctime_r)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef asctime_r
#define asctime_r(t, buf) BANNED(asctime_r)

#undef mktemp
#define mktemp(x) BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam)
#undef tempnam
#define tempnam(x, y) BANNED(tempnam)

#undef isalnum
#define isalnum(c) BANNED(isalnum)
#undef isalpha
#define isalpha(c) BANNED(isalpha)
#undef isascii
#define isascii(c) BANNED(isascii)
#undef isblank
#define isblank(c) BANNED(isblank)
#undef iscntrl
#define iscntrl(c) BANNED(iscntrl)
#undef isdigit
#define isdigit(c) BANNED(isdigit)
#undef isgraph
#define isgraph(c) BANNED(isgraph)
#undef islower
#define islower(c) BANNED(islower)
#undef isprint
#define isprint(c) BANNED(isprint)
#undef ispunct
#define ispunct(c) BANNED(ispunct)
#undef isspace
#define isspace(c) BANNED(isspace)
#undef isupper
#define isupper(c) BANNED(isupper)
#undef isxdigit
#define isxdigit(c) BANNED(isxdigit)
#undef tolower
#define tolower(c) BANNED(tolower)
#undef toupper
#define toupper(c) BANNED(toupper)

#undef strcasecmp
#define strcasecmp(x, y) BANNED(strcasecmp)
#undef strncasecmp
#define strncasecmp(x, y, n) BANNED(strncasecmp)
#undef strcasestr
#define strcasestr(x, y) BANNED(strcasestr)

#endif
