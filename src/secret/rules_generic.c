/* Catch-alls: passwords, secrets, tokens and keys assigned in config files,
 * scripts and environment variables, above an entropy threshold. They come
 * last and yield to a specific rule on the same bytes. */
#include "rules-frag.h"
#include "secret-int.h"

/* An assignment's value: unquoted or quoted, up to a quote, space or
 * delimiter, and not a function call or a longer word. */
#define GV(min)                                                                                              \
	"[ \\t]*(?:=|:=|:|=>)[ \\t]*[\"'`]?(?![=:])([^\\s\"'`;,<>(){}\\[\\]\\\\]{" min ",256})(?![\\w(])"
/* Identifiers, dotted paths, numbers and templates are not secrets. */
#define GALLOW                                                                                               \
	"^(?:[A-Za-z_-]+[.,;:!?]?|[A-Za-z_$][\\w$-]*(?:\\.[\\w$-]*[A-Za-z_$][\\w$-]*)+|[0-9.]+|[a-z]?/"      \
	".*|https?://.*"                                                                                     \
	"|.*(?:\\$\\{|\\{\\{|%\\(|\\$\\(|\\$[A-Z_]|%20).*)$"

const struct bw_secret_rule_def bw_secret_rules_generic[] = {
    {"BW-SEC-GENERIC-001", "Password assigned in configuration or code", BW_SEV_HIGH,
     "password|passwd|passphrase|pwd", "(?i)(?:password|passwd|passphrase|pwd)[\\w.-]{0,20}?[\"']?" GV("6"),
     2.8, GALLOW, NULL, 0, BW_SR_GENERIC},
    {"BW-SEC-GENERIC-002", "Secret, token or API key assigned in configuration or code", BW_SEV_MEDIUM,
     "secret|token|apikey|api_key|api-key|access_key|accesskey|auth_key|private_key|client_secret",
     "(?i)(?:secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key)[\\w.-]{0,20}?[\"']"
     "?" GV("16"),
     3.5, GALLOW, NULL, 0, BW_SR_GENERIC},
    {"BW-SEC-GENERIC-003", "Secret in a PHP define()", BW_SEV_HIGH, "define(|define (",
     "(?i)define\\([ \\t]*['\"]\\w*(?:PASSWORD|SECRET|_KEY|SALT|TOKEN)['\"][ \\t]*,[ "
     "\\t]*['\"]([^'\"\\s]{8,256})['\"]",
     3.0, GALLOW, NULL, 0, BW_SR_GENERIC},
    {NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, 0, 0},
};

/* Values written in documentation and templates in place of a secret. */
const char bw_secret_global_allow[] =
    "(?i)^(?:x{3,}.*|\\*{3,}.*|\\.{3,}|-+|_+|0+|1234.*|abcd.*|changeme|changeit|password\\d*|passwd|secret"
    "|dummy.*|sample.*|example.*|placeholder.*|redacted|your[_-]?.*|<.*>|\\$\\{.*\\}|\\{\\{.*\\}\\}|%s|null|"
    "none|nil"
    "|true|false|undefined|(.)\\1{5,}|\\{.*\\})$|EXAMPLE"
    /* RFC 6749 example tokens and client credentials */
    "|^(?:2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA|czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3)$";
