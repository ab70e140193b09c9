/* .NET: APP.deps.json, written by the SDK next to every published app.
 * "libraries" maps "Name/Version" to {"type": "package" | "project" |
 * "reference", "sha512": "sha512-BASE64"}; NuGet packages are the
 * "package" entries, and their sha512 is that of the .nupkg file (what
 * NuGet keeps next to it as NAME.VERSION.nupkg.sha512).
 * "targets" → framework → "Name/Version" → "dependencies" gives the
 * relations.
 *
 * packages.lock.json, which NuGet writes next to a project with
 * RestorePackagesWithLockFile: "dependencies" maps each target framework
 * to "Name" → {"type": "Direct" | "Transitive" | "CentralTransitive" |
 * "Project", "resolved": "1.2.3", "contentHash": BASE64 of the .nupkg's
 * SHA-512, "dependencies": {"Name": "range"}}. Projects of the solution
 * are not packages; a package locked for several frameworks is listed once
 * per framework and kept once.
 */
#include <jansson.h>

#include "inventory-int.h"

void inv_parse_dotnet(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	json_t *targets = json_object_get(j, "targets");
	json_t *target = NULL;
	const char *tk;
	json_t *tv;
	json_object_foreach(targets, tk, tv)
	{
		(void)tk;
		target = tv;
		break;
	}
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(j, "libraries"), k, v)
	{
		json_t *type = json_object_get(v, "type");
		if (!json_is_string(type) || strcmp(json_string_value(type), "package") != 0)
			continue;
		const char *sl = strchr(k, '/');
		if (!sl || sl == k || !sl[1])
			continue;
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *p = &rec->pkgs[p_i];
		p->name = inv_strndup(l, k, (size_t)(sl - k));
		p->version = inv_strndup(l, sl + 1, strlen(sl + 1));
		p->ecosystem = "NuGet";
		p->purl_type = "nuget";
		json_t *sum = json_object_get(v, "sha512");
		if (json_is_string(sum) && json_string_length(sum) &&
		    (!bw_slice_has_prefix(bw_slice_of(json_string_value(sum)), "sha512-") ||
		     !inv_pkg_add_sri(l, p, json_string_value(sum), json_string_length(sum))))
			inv_hash_note(l, rec, p, "sha512");
		const char *dk;
		json_t *dv;
		json_object_foreach(json_object_get(json_object_get(target, k), "dependencies"), dk, dv)
		{
			(void)dv;
			inv_pkg_add_depend(l, p, dk, strlen(dk));
		}
	}
	json_decref(j);
}

void inv_parse_nuget_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	struct inv_map seen = {0};
	struct bw_arena keys;
	bw_arena_init(&keys);
	const char *fw;
	json_t *deps;
	json_object_foreach(json_object_get(j, "dependencies"), fw, deps)
	{
		const char *k;
		json_t *v;
		json_object_foreach(deps, k, v)
		{
			json_t *type = json_object_get(v, "type"), *ver = json_object_get(v, "resolved");
			if (!*k || !json_is_string(ver) || !json_string_length(ver) ||
			    (json_is_string(type) && strcmp(json_string_value(type), "Project") == 0))
				continue;
			char *id = bw_asprintf("%s/%s", k, json_string_value(ver));
			bool dup = inv_map_get(&seen, id) != NULL;
			if (!dup)
				inv_map_put(&seen, bw_arena_strdup(&keys, id), (void *)1);
			free(id);
			if (dup)
				continue;
			size_t p_i = inv_record_add_pkg(l, rec);
			struct inv_pkg *p = &rec->pkgs[p_i];
			p->name = inv_strndup(l, k, strlen(k));
			p->version = inv_strndup(l, json_string_value(ver), json_string_length(ver));
			p->ecosystem = "NuGet";
			p->purl_type = "nuget";
			json_t *sum = json_object_get(v, "contentHash");
			if (json_is_string(sum) && json_string_length(sum) &&
			    !inv_pkg_add_base64(l, p, BW_HASH_SHA512, json_string_value(sum),
						json_string_length(sum)))
				inv_hash_note(l, rec, p, "contentHash");
			const char *dk;
			json_t *dv;
			json_object_foreach(json_object_get(v, "dependencies"), dk, dv)
			{
				(void)dv;
				inv_pkg_add_depend(l, p, dk, strlen(dk));
			}
		}
	}
	inv_map_release(&seen);
	bw_arena_release(&keys);
	json_decref(j);
}
