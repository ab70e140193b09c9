/* bulwark cvss — score CVSS vectors. */
#include <jansson.h>

#include "cli.h"
#include "vulndb/vulndb.h"

const char bw_usage_cvss[] = "usage: bulwark cvss VECTOR... | --batch\n"
			     "\n"
			     "Score CVSS vectors as FIRST's calculators do: v4.0, v3.1, v3.0 and v2.\n"
			     "A v4.0 vector is scored with every metric it carries (CVSS-B with base\n"
			     "metrics only, CVSS-BT with E, CVSS-BE with environmental metrics, CVSS-BTE\n"
			     "with both; supplemental metrics never change the score); v3 and v2 vectors\n"
			     "give their base score. The metrics of a v4.0 vector must be in the\n"
			     "specification's order, as FIRST's calculator requires.\n"
			     "\n"
			     "  bulwark cvss VECTOR...   one line per vector: score, rating (NONE, LOW,\n"
			     "                           MEDIUM, HIGH, CRITICAL), version, the v4.0\n"
			     "                           nomenclature and macro vector (EQ1..EQ6), vector\n"
			     "  bulwark cvss --batch     read one vector a line on standard input, write\n"
			     "                           SCORE<TAB>RATING or invalid per line\n"
			     "\n"
			     "A malformed vector is an error (exit 3) naming the vector and the reason;\n"
			     "the other vectors are still scored. See docs/vulnerabilities.md.\n"
			     "\n"
			     "options:\n"
			     "      --batch          score vectors read from standard input (plain lines)\n"
			     "  -f, --format FMT     table or json\n"
			     "  -o, --output FILE    write to FILE instead of standard output\n"
			     "  -h, --help           this help\n";

enum { OPT_BATCH = BW_OPT__COMMAND_BASE };

static int cvss_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	bool *batch = ud;
	(void)arg;
	if (c == OPT_BATCH) {
		*batch = true;
		return 0;
	}
	return bw_cli_usage_error(cli->cmd, "unexpected option");
}

static void batch_line(void *ud, const char *line, size_t len, struct bw_buf *out)
{
	(void)ud;
	char vec[BW_CVSS_MAX_VECTOR + 1];
	if (len && line[len - 1] == '\r')
		len--;
	struct bw_cvss_score s;
	if (len == 0 || len > BW_CVSS_MAX_VECTOR || memchr(line, '\0', len)) {
		bw_buf_add(out, "invalid\n", 8);
		return;
	}
	memcpy(vec, line, len);
	vec[len] = '\0';
	if (bw_cvss_score(vec, &s, NULL) < 0) {
		bw_buf_add(out, "invalid\n", 8);
		return;
	}
	bw_buf_printf(out, "%.1f\t%s\n", s.score, bw_cvss_rating(&s));
}

int bw_cmd_cvss(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"batch", no_argument, NULL, OPT_BATCH},
	    BW_CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	bool batch = false, done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, cvss_option, &batch, &done);
	if (rc || done)
		return rc;
	if (batch) {
		if (optind < argc)
			return bw_cli_usage_error(
			    cli->cmd, "--batch reads its vectors from standard input, not operands");
		return bw_cli_batch(cli, batch_line, NULL);
	}
	if (optind == argc)
		return bw_cli_usage_error(cli->cmd, "missing VECTOR");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON)
		return bw_cli_usage_error(cli->cmd, "cvss writes table or json");
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out)
		return bw_cli_fail(cli, &err);
	json_t *arr = cli->format == BW_FORMAT_JSON ? json_array() : NULL;
	if (!arr)
		fprintf(out, "%-5s  %-8s  %-7s  %-12s  %-6s  %s\n", "SCORE", "RATING", "VERSION",
			"NOMENCLATURE", "MACRO", "VECTOR");
	int failed = 0; /* the exit code of the first bad vector */
	for (int i = optind; i < argc; i++) {
		struct bw_cvss_score s;
		struct bw_error e = BW_ERROR_INIT;
		if (bw_cvss_score(argv[i], &s, &e) < 0) {
			int code = bw_cli_fail(cli, &e);
			failed = failed ? failed : code;
			if (arr)
				json_array_append_new(arr, bw_cvss_score_json(argv[i], NULL, e.msg));
			continue;
		}
		if (arr) {
			json_array_append_new(arr, bw_cvss_score_json(argv[i], &s, NULL));
		} else {
			char version[8];
			snprintf(version, sizeof(version), "%d.%d", s.major, s.minor);
			fprintf(out, "%-5.1f  %-8s  %-7s  %-12s  %-6s  %s\n", s.score, bw_cvss_rating(&s),
				version, s.nomenclature[0] ? s.nomenclature : "-",
				s.macro_vector[0] ? s.macro_vector : "-", argv[i]);
		}
	}
	if (arr) {
		json_t *j = json_pack("{s:s, s:o}", "schema", BW_CVSS_SCHEMA, "scores", arr);
		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(3));
		fputc('\n', out);
		json_decref(j);
	}
	if (bw_cli_close_output(cli, out, &err) < 0)
		return bw_cli_fail(cli, &err);
	return failed ? failed : BW_EXIT_OK;
}
