/* CIS section 4: the engine's images, judged by the image-configuration
 * rules of src/imgcheck (BW-IMG-NNN). Live only: every image of GET
 * /images/json is read once through the docker: image source (the first
 * section-4 check to run pays for it) and its findings are kept per image.
 * Only images some container (running or not) was created from are read:
 * the recommendations are about container images, and reading every image
 * of a busy engine costs seconds each; `bulwark image --scanners config`
 * checks any other image. */
#include "audit-int.h"

#include "audit-checks.h"
#include "scan/scan.h"

/* Which image rules decide which recommendation. */
static const struct {
	const char *cis;
	const char *rules[6];
} rule_map[] = {
    {"4.1", {"BW-IMG-001"}},
    {"4.3", {"BW-IMG-021", "BW-IMG-022"}},
    {"4.6", {"BW-IMG-002"}},
    {"4.7", {"BW-IMG-014"}},
    {"4.8", {"BW-IMG-003"}},
    {"4.9", {"BW-IMG-015"}},
    {"4.10", {"BW-IMG-005", "BW-IMG-006", "BW-IMG-007", "BW-IMG-012", "BW-IMG-013"}},
    {"4.11", {"BW-IMG-023"}},
};

/* The image-configuration rules on one image of the engine: a scan with
 * the config scanner alone. */
static int lint_one(struct audit_ctx *ctx, const char *target, const char *name, struct bw_report **out,
		    struct bw_error *err)
{
	struct bw_scan_opts so = {
	    .target = target,
	    .report_type = "image",
	    .report_name = name,
	    .docker_host = ctx->opts->engine_host,
	    .scanners = BW_SCAN_CONFIG,
	    .no_cache = true, /* the engine streams images: there is no cache to use */
	    .deadline = ctx->deadline,
	};
	return bw_scan_run(&so, out, err);
}

static void load_images(struct audit_ctx *ctx)
{
	ctx->images_linted = true;
	size_t n = json_array_size(ctx->images), i;
	json_t *img;
	ctx->image_reports = bw_calloc(n ? n : 1, sizeof(*ctx->image_reports));
	bool *used = bw_calloc(n ? n : 1, sizeof(*used));
	size_t n_used = 0, done = 0;
	json_array_foreach(ctx->images, i, img)
	{
		const char *id = jstr(img, "Id");
		for (size_t k = 0; id && k < ctx->n_cs && !used[i]; k++)
			used[i] = !strcmp(
			    jstr(ctx->cs[k].inspect, "Image") ? jstr(ctx->cs[k].inspect, "Image") : "", id);
		n_used += used[i];
	}
	json_array_foreach(ctx->images, i, img)
	{
		const char *id = jstr(img, "Id");
		const char *tag = json_string_value(json_array_get(jget(img, "RepoTags"), 0));
		if (!id || !used[i])
			continue;
		const char *name = tag && strcmp(tag, "<none>:<none>") ? tag : id;
		if (ctx->opts->progress)
			ctx->opts->progress(ctx->opts->progress_ud, done++, n_used, name);
		struct audit_image *ai = &ctx->image_reports[ctx->n_image_reports];
		char *target = bw_asprintf("docker:%s", id);
		struct bw_error err = BW_ERROR_INIT;
		double t0 = bw_now();
		if (lint_one(ctx, target, name, &ai->report, &err) < 0) {
			audit_out_of_time(ctx);
			bw_report_warn(ctx->report, "image %s not checked: %s", name, err.msg);
			free(target);
			continue;
		}
		ai->name = bw_strdup(name);
		ctx->engine_seconds += bw_now() - t0;
		free(target);
		ctx->n_image_reports++;
	}
	free(used);
}

void audit_images_release(struct audit_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_image_reports; i++) {
		bw_report_free(ctx->image_reports[i].report);
		free(ctx->image_reports[i].name);
	}
	free(ctx->image_reports);
}

int check_4_image_rules(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	size_t m = 0;
	while (m < BW_ARRAY_SIZE(rule_map) && strcmp(rule_map[m].cis, chk->info.id))
		m++;
	if (m == BW_ARRAY_SIZE(rule_map))
		BW_BUG("section-4 check without image rules");
	if (!ctx->images)
		return verdict(v, BW_STATUS_MANUAL,
			       "offline: the engine's images are only read live; check an image with bulwark "
			       "image --scanners config");
	if (!ctx->images_linted)
		load_images(ctx);
	char ev[sizeof(v->evidence)];
	size_t el = 0, bad = 0;
	ev[0] = '\0';
	for (size_t i = 0; i < ctx->n_image_reports; i++) {
		const struct bw_report *r = ctx->image_reports[i].report;
		const struct bw_finding *hit = NULL;
		size_t hits = 0;
		for (size_t k = 0; k < r->n_findings; k++)
			for (size_t j = 0; j < BW_ARRAY_SIZE(rule_map[m].rules) && rule_map[m].rules[j]; j++)
				if (!strcmp(r->findings[k].id, rule_map[m].rules[j])) {
					hit = hit ? hit : &r->findings[k];
					hits++;
				}
		if (!hit)
			continue;
		bad++;
		if (el < sizeof(ev) - 200) {
			int w = snprintf(ev + el, sizeof(ev) - el, "%s%s: %s %.120s%s", el ? "; " : "",
					 ctx->image_reports[i].name, hit->id,
					 hit->evidence ? hit->evidence : "", hits > 1 ? " (and more)" : "");
			el += w > 0 ? (size_t)w : 0;
			if (el >= sizeof(ev))
				el = sizeof(ev) - 1;
		}
	}
	if (!ctx->n_image_reports)
		return verdict(v, BW_STATUS_INFO, "no container uses an image of the engine");
	if (!bad)
		return verdict(v, BW_STATUS_PASS, "%zu images used by containers checked with %s%s",
			       ctx->n_image_reports, rule_map[m].rules[0],
			       rule_map[m].rules[1] ? " and related rules" : "");
	return verdict(v, BW_STATUS_WARN, "%zu of %zu images used by containers: %s", bad,
		       ctx->n_image_reports, ev);
}
