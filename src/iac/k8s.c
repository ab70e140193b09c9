/* Kubernetes manifests: the objects of a document (a List's items each),
 * and where each workload kind keeps its pod template. */
#include "iac-int.h"

/* Where the pod spec of a workload kind is. */
static const struct {
	const char *kind;
	const char *pod;  /* dotted path to the pod spec */
	const char *meta; /* dotted path to the pod's metadata */
} workloads[] = {
    {"Pod", "spec", "metadata"},
    {"Deployment", "spec.template.spec", "spec.template.metadata"},
    {"StatefulSet", "spec.template.spec", "spec.template.metadata"},
    {"DaemonSet", "spec.template.spec", "spec.template.metadata"},
    {"ReplicaSet", "spec.template.spec", "spec.template.metadata"},
    {"ReplicationController", "spec.template.spec", "spec.template.metadata"},
    {"Job", "spec.template.spec", "spec.template.metadata"},
    {"CronJob", "spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.metadata"},
    {"PodTemplate", "template.spec", "template.metadata"},
};

bool k8s_is_workload_kind(const char *kind)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(workloads); i++)
		if (kind && !strcmp(kind, workloads[i].kind))
			return true;
	return false;
}

bool k8s_is_object(const struct bw_yaml_node *root)
{
	const struct bw_yaml_node *v = bw_yaml_get(root, "apiVersion"), *k = bw_yaml_get(root, "kind");
	return v && k && v->kind == BW_YAML_SCALAR && k->kind == BW_YAML_SCALAR && k->len && v->len;
}

static void add_containers(struct k8s_object *o, size_t *cap, const char *list)
{
	const struct bw_yaml_node *seq = bw_yaml_get(o->pod, list);
	if (!seq || seq->kind != BW_YAML_SEQ)
		return;
	for (size_t i = 0; i < seq->n; i++) {
		if (seq->items[i]->kind != BW_YAML_MAP)
			continue;
		IAC_GROW(o->ctr, o->n_ctr, *cap);
		const char *name = bw_yaml_str(bw_yaml_get(seq->items[i], "name"));
		o->ctr[o->n_ctr++] = (struct k8s_container){seq->items[i], name ? name : "", list};
	}
}

static void one_object(const struct bw_yaml_node *root, k8s_object_fn fn, void *ud, int depth)
{
	const char *kind = bw_yaml_str(bw_yaml_get(root, "kind"));
	if (kind && depth < 4 &&
	    (!strcmp(kind, "List") || (strlen(kind) > 4 && !strcmp(kind + strlen(kind) - 4, "List")))) {
		const struct bw_yaml_node *items = bw_yaml_get(root, "items");
		if (items && items->kind == BW_YAML_SEQ) {
			for (size_t i = 0; i < items->n; i++)
				if (k8s_is_object(items->items[i]))
					one_object(items->items[i], fn, ud, depth + 1);
			return;
		}
	}
	struct k8s_object o = {.node = root};
	o.api_version = bw_yaml_str(bw_yaml_get(root, "apiVersion"));
	o.kind = kind;
	o.meta = bw_yaml_get(root, "metadata");
	o.name = bw_yaml_str(bw_yaml_get(o.meta, "name"));
	if (!o.name)
		o.name = bw_yaml_str(bw_yaml_get(o.meta, "generateName"));
	if (!o.name)
		o.name = "";
	o.ns = bw_yaml_str(bw_yaml_get(o.meta, "namespace"));
	for (size_t i = 0; i < BW_ARRAY_SIZE(workloads); i++) {
		if (strcmp(kind, workloads[i].kind))
			continue;
		const struct bw_yaml_node *pod = bw_yaml_path(root, workloads[i].pod);
		if (pod && pod->kind == BW_YAML_MAP) {
			o.pod = pod;
			o.pod_path = workloads[i].pod;
			o.pod_meta = bw_yaml_path(root, workloads[i].meta);
		}
		break;
	}
	size_t cap = 0;
	if (o.pod) {
		add_containers(&o, &cap, "initContainers");
		add_containers(&o, &cap, "containers");
		add_containers(&o, &cap, "ephemeralContainers");
	}
	fn(ud, &o);
	free(o.ctr);
}

void k8s_each_object(const struct bw_yaml_node *root, k8s_object_fn fn, void *ud)
{
	if (k8s_is_object(root))
		one_object(root, fn, ud, 0);
}
