/* Regex fragments shared by the rule tables (private to src/secret). */
#ifndef BW_SECRET_RULES_FRAG_H
#define BW_SECRET_RULES_FRAG_H

/* After a key name: an optional closing quote, an assignment operator, an
 * optional opening quote. */
#define SR_ASSIGN "[\"']?[ \\t]*(?:=|:=|:|=>)[ \\t]*[\"']?"
/* A token does not start or end inside a longer word. */
#define SR_B "(?<![A-Za-z0-9])"
#define SR_E "(?![A-Za-z0-9_-])"
#define SR_EA "(?![A-Za-z0-9])"
/* A key name that contains WORD, with up to 20 more name characters. */
#define SR_KEY(word) "(?i)(?:" word ")[\\w.-]{0,20}?"
#define SR_UUID "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

#endif
