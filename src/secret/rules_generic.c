/* Catch-alls: passwords, secrets, tokens and keys assigned in config files,
 * scripts and environment variables, above an entropy threshold. They come
 * last and yield to a specific rule on the same bytes. */
#include "rules-frag.h"
#include "secret-int.h"

/* An assignment's value: unquoted or quoted, up to a quote, space or
 * delimiter, and not a function call or a longer word. */
#define GV(min)                                                                                              \
	"[ \\t]*(?:=|:=|:|=>)[ \\t]*[\"'`]?(?![=:])([^\\s\"'`;,<>(){}\\[\\]\\\\]{" min ",256})(?![\\w(])"
/* Identifiers, dotted paths, numbers and templates are not secrets; nor are
 * what stock distribution configuration files assign: a variable or a path
 * under one (openssl.cnf's "private_key = $dir/private/cakey.pem", a shell
 * script's "ac_pwd='$ac_pwd'"), a list of choices ("true|false") and the
 * name of a hash or cipher (postgresql.conf's "scram-sha-256"). */
#define GALLOW                                                                                               \
	"^(?:[A-Za-z_-]+[.,;:!?]?|[A-Za-z_$][\\w$-]*(?:\\.[\\w$-]*[A-Za-z_$][\\w$-]*)+|[0-9.]+|[a-z]?/"      \
	".*|https?://.*"                                                                                     \
	"|.*(?:\\$\\{|\\{\\{|%\\(|\\$\\(|\\$[A-Z_]|%20).*"                                                   \
	"|\\$[A-Za-z_]\\w*(?:/.*)?|[a-z]+(?:\\|[a-z]+)+"                                                     \
	"|(?:scram-)?sha-?(?:1|224|256|384|512)|md5|[a-z]?crypt|bcrypt|argon2(?:id|i|d)?|pbkdf2[\\w-]*)$"

const struct bw_secret_rule_def bw_secret_rules_generic[] = {
    {"BW-SEC-GENERIC-001", .title = "Password assigned in configuration or code", .severity = BW_SEV_HIGH,
     .keywords = "password|passwd|passphrase|pwd",
     .regex = "(?i)(?:password|passwd|passphrase|pwd)[\\w.-]{0,20}?[\"']?" GV("6"), .entropy = 2.8,
     .allow = GALLOW, .flags = BW_SR_GENERIC},
    {"BW-SEC-GENERIC-002", .title = "Secret, token or API key assigned in configuration or code",
     .severity = BW_SEV_MEDIUM,
     .keywords =
	 "secret|token|apikey|api_key|api-key|access_key|accesskey|auth_key|private_key|client_secret",
     .regex = "(?i)(?:secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key)[\\w.-]{0,"
	      "20}?[\"']"
	      "?" GV("16"),
     .entropy = 3.5, .allow = GALLOW, .flags = BW_SR_GENERIC},
    {"BW-SEC-GENERIC-003", .title = "Secret in a PHP define()", .severity = BW_SEV_HIGH,
     .keywords = "define(|define (",
     .regex = "(?i)define\\([ \\t]*['\"]\\w*(?:PASSWORD|SECRET|_KEY|SALT|TOKEN)['\"][ \\t]*,[ "
	      "\\t]*['\"]([^'\"\\s]{8,256})['\"]",
     .entropy = 3.0, .allow = GALLOW, .flags = BW_SR_GENERIC},
    {NULL},
};

/* Values written in documentation and templates in place of a secret. */
const char bw_secret_global_allow[] =
    "(?i)^(?:x{3,}.*|\\*{3,}.*|\\.{3,}|-+|_+|0+|1234.*|abcd.*|changeme|changeit|password\\d*|passwd|secret"
    "|dummy.*|sample.*|example.*|placeholder.*|redacted|your[_-]?.*|<.*>|\\$\\{.*\\}|\\{\\{.*\\}\\}|%s|null|"
    "none|nil"
    "|true|false|undefined|(.)\\1{5,}|\\{.*\\})$|EXAMPLE"
    /* RFC 6749 example tokens and client credentials */
    "|^(?:2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA|czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3)$";
