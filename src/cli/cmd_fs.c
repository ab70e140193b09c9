/* bulwark fs DIR — scan a root filesystem directory. */
#include "cli.h"
#include "image/image.h"

const char bw_usage_fs[] =
	"usage: bulwark fs [options] DIR\n"
	"\n"
	"Scan a root filesystem directory (an unpacked image, a chroot, or /) with every\n"
	"scanner built in. Symlinks are never followed; scanning / skips /proc, /sys, /dev.\n"
	"\n"
	"options:\n" BW_CLI_COMMON_HELP;

int bw_cmd_fs(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {BW_CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, NULL, NULL, &done);
	if (rc || done)
		return rc;
	if (argc - optind != 1)
		return bw_cli_usage_error(cli->cmd, argc - optind < 1 ? "missing DIR" : "too many arguments");
	const char *dir = argv[optind];
	struct bw_error err = BW_ERROR_INIT;
	char *target = bw_asprintf("dir:%s", dir);
	struct bw_image *img = NULL;
	rc = bw_image_open(target, NULL, &img, &err);
	free(target);
	if (rc == 0)
		rc = bw_image_walk(img, NULL, 0, NULL, NULL, &err);
	if (rc < 0) {
		bw_image_free(img);
		return bw_cli_fail(cli, &err);
	}
	struct bw_report *r = bw_report_new("filesystem", dir);
	bw_image_free(img);
	rc = bw_cli_emit_report(cli, r);
	bw_report_free(r);
	return rc;
}
