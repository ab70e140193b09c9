/* CIS section 6: operations — how many images and containers pile up. */
#include "audit-int.h"

#include "audit-checks.h"

int check_6_1_images(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	if (!ctx->images)
		return verdict(v, BW_STATUS_INFO, "the image list is only known live (GET /images/json)");
	size_t n = json_array_size(ctx->images), used = 0, i;
	json_t *img;
	json_array_foreach(ctx->images, i, img)
	{
		const char *id = jstr(img, "Id");
		for (size_t k = 0; id && k < ctx->n_cs; k++) {
			const char *cimg = jstr(ctx->cs[k].inspect, "Image");
			if (cimg && !strcmp(cimg, id)) {
				used++;
				break;
			}
		}
	}
	return verdict(v, BW_STATUS_INFO, "%zu images, %zu used by a container, %zu unused", n, used,
		       n - used);
}

int check_6_2_containers(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	size_t running = 0;
	for (size_t i = 0; i < ctx->n_cs; i++)
		running += ctx->cs[i].running;
	return verdict(v, BW_STATUS_INFO, "%zu containers, %zu running, %zu stopped or never started",
		       ctx->n_cs, running, ctx->n_cs - running);
}
