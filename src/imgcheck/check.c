/* bw_imgcheck_finish(): every image rule over what the walk found, and
 * the one place findings are made. */
#include "imgcheck-int.h"

const char *img_layer_digest(const struct img_ctx *c, int layer)
{
	if (layer < 0 || (size_t)layer >= c->info->n_layers)
		return NULL;
	const struct bw_image_layer *l = c->info->layers[layer];
	return l->diff_id ? l->diff_id : l->digest;
}

void img_report(struct img_ctx *c, enum img_rule_id rule, const char *path, int layer, int in_final,
		const char *fmt, ...)
{
	if (++c->counts[rule] > IMG_MAX_PER_RULE)
		return;
	const struct img_rule *ir = &img_rules[rule];
	char ev[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev, sizeof(ev), fmt, ap);
	va_end(ap);
	struct bw_finding *f = bw_report_add_finding(c->r, BW_KIND_MISCONFIG);
	f->id = ir->id;
	f->severity = ir->severity;
	f->status = BW_STATUS_FAIL;
	f->title = ir->title;
	f->remediation = ir->remediation;
	f->evidence = bw_report_str(c->r, ev);
	f->location.path = bw_report_str(c->r, path);
	f->location.layer = bw_report_str(c->r, img_layer_digest(c, layer));
	f->location.in_final_image = in_final;
	for (size_t i = 0; i < BW_ARRAY_SIZE(ir->equivalent) && ir->equivalent[i]; i++)
		bw_finding_add_equivalent(c->r, f, ir->equivalent[i]);
}

int bw_imgcheck_finish(struct bw_imgcheck *li, struct bw_image *img, const struct bw_package *pkgs,
		       size_t n_pkgs, bool pkgs_known, struct bw_report *r, struct bw_error *err)
{
	struct img_ctx c = {.li = li, .img = img, .info = bw_image_info(img), .r = r};
	bw_arena_init(&c.scratch);
	img_check_config(&c);
	img_check_history(&c);
	img_check_files(&c);
	img_check_records(&c);
	img_check_packages(&c, pkgs, n_pkgs, pkgs_known);
	for (size_t i = 0; i < IMG__COUNT; i++)
		if (c.counts[i] > IMG_MAX_PER_RULE)
			bw_report_warn(r, "%s: %u findings, only the first %u are listed", img_rules[i].id,
				       c.counts[i], IMG_MAX_PER_RULE);
	bw_arena_release(&c.scratch);
	return 0;
}
