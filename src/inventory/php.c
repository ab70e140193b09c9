/* PHP: vendor/composer/installed.json, which Composer writes on install.
 * Composer 1 wrote a JSON array of packages, Composer 2 writes
 * {"packages": [...], "dev": …, "dev-package-names": [...]}. Each package
 * has "name" ("vendor/package"), "version" ("v1.2.3" or "1.2.3"),
 * "license" (an array of SPDX ids) and "require" (name -> constraint;
 * "php" and "ext-*" are platform requirements, not packages) and "dist"
 * ({"type": "zip", "url": …, "shasum": SHA-1 hex of the zip, often ""
 * for GitHub archives, which have no stable bytes}).
 * composer.lock, next to a project's composer.json, holds the same package
 * objects in "packages" and, for development, "packages-dev".
 */
#include <jansson.h>

#include "inventory-int.h"

static void composer_packages(struct inv_layer *l, struct inv_record *rec, json_t *pkgs, bool dev)
{
	size_t i;
	json_t *e;
	json_array_foreach(pkgs, i, e)
	{
		json_t *name = json_object_get(e, "name"), *version = json_object_get(e, "version");
		if (!json_is_string(name) || !json_is_string(version) || !json_string_length(name))
			continue;
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *p = &rec->pkgs[p_i];
		p->name = inv_strndup(l, json_string_value(name), json_string_length(name));
		p->version = inv_strndup(l, json_string_value(version), json_string_length(version));
		p->ecosystem = "Packagist";
		p->dev = dev;
		p->purl_type = "composer";
		const char *sl = strchr(p->name, '/');
		if (sl) {
			p->purl_ns = bw_arena_strndup(&l->arena, p->name, (size_t)(sl - p->name));
			p->purl_name = sl + 1;
		}
		json_t *sum = json_object_get(json_object_get(e, "dist"), "shasum");
		if (json_is_string(sum) && json_string_length(sum) &&
		    !inv_pkg_add_hash(l, p, BW_HASH_SHA1, json_string_value(sum), json_string_length(sum)))
			inv_hash_note(l, rec, p, "dist.shasum");
		size_t k;
		json_t *lic;
		json_array_foreach(json_object_get(e, "license"), k, lic) if (json_is_string(lic) && k < 16)
		    inv_pkg_add_license(l, p, json_string_value(lic), json_string_length(lic));
		const char *dk;
		json_t *dv;
		json_object_foreach(json_object_get(e, "require"), dk, dv)
		{
			(void)dv;
			if (strchr(dk, '/'))
				inv_pkg_add_depend(l, p, dk, strlen(dk));
		}
	}
}

void inv_parse_composer(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	composer_packages(l, rec, json_is_array(j) ? j : json_object_get(j, "packages"), false);
	json_decref(j);
}

void inv_parse_composer_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	composer_packages(l, rec, json_object_get(j, "packages"), false);
	composer_packages(l, rec, json_object_get(j, "packages-dev"), true);
	json_decref(j);
}
