/* Error reports: see core.h for the model. */
#include <errno.h>

#include "core.h"

__attribute__((format(printf, 4, 0))) static int vset(struct bw_error *err, int code, int sys,
						      const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	err->sys_errno = sys;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (sys) {
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(sys));
	}
	return code;
}

int bw_error_set(struct bw_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int bw_error_sys(struct bw_error *err, int code, const char *fmt, ...)
{
	int sys = errno;
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, sys ? sys : EIO, fmt, ap);
	va_end(ap);
	return code;
}

int bw_error_prefix(struct bw_error *err, const char *fmt, ...)
{
	char pre[BW_ERROR_MAX];
	char old[BW_ERROR_MAX];
	va_list ap;

	if (!err)
		return BW_EINPUT;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	size_t n = strlen(pre);
	if (n >= sizeof(err->msg))
		n = sizeof(err->msg) - 1;
	memcpy(err->msg, pre, n);
	size_t rest = sizeof(err->msg) - 1 - n, ol = strlen(old);
	if (ol > rest)
		ol = rest;
	memcpy(err->msg + n, old, ol);
	err->msg[n + ol] = '\0';
	return err->code;
}

void bw_error_clear(struct bw_error *err)
{
	if (err) {
		err->code = 0;
		err->sys_errno = 0;
		err->msg[0] = '\0';
	}
}

static const struct {
	int code;
	const char *name;
} codes[] = {
    {BW_OK, "ok"},
    {BW_EUSAGE, "usage"},
    {BW_EINPUT, "input"},
    {BW_EIO, "io"},
    {BW_ENOMEM, "memory"},
    {BW_EINTEGRITY, "integrity"},
    {BW_ENOTFOUND, "not-found"},
    {BW_EUNSUPPORTED, "unsupported"},
    {BW_ELIMIT, "limit"},
    {BW_EREMOTE, "remote"},
};

const char *bw_errcode_name(int code)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(codes); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "unknown";
}

void bw_bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "bulwark: internal error at %s:%d: %s\n", file, line, msg);
	abort();
}
