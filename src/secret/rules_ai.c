/* LLM and machine-learning providers. */
#include "rules-frag.h"
#include "secret-int.h"

const struct bw_secret_rule_def bw_secret_rules_ai[] = {
    {"BW-SEC-OPENAI-001", .title = "OpenAI API key", .severity = BW_SEV_CRITICAL, .keywords = "T3BlbkFJ",
     .regex = SR_B
     "(sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,160}|[A-Za-z0-9]{20})T3BlbkFJ[A-Za-z0-9_-]{20,160}"
     ")" SR_E},
    {"BW-SEC-ANTHROPIC-001", .title = "Anthropic API key", .severity = BW_SEV_CRITICAL,
     .keywords = "sk-ant-api", .regex = SR_B "(sk-ant-api\\d\\d-[A-Za-z0-9_-]{93}AA)" SR_E},
    {"BW-SEC-ANTHROPIC-002", .title = "Anthropic admin API key", .severity = BW_SEV_CRITICAL,
     .keywords = "sk-ant-admin", .regex = SR_B "(sk-ant-admin\\d\\d-[A-Za-z0-9_-]{93}AA)" SR_E},
    {"BW-SEC-HF-001", .title = "Hugging Face access token", .severity = BW_SEV_HIGH, .keywords = "hf_",
     .regex = SR_B "(hf_[A-Za-z0-9]{34,40})" SR_EA},
    {"BW-SEC-HF-002", .title = "Hugging Face organization API token", .severity = BW_SEV_HIGH,
     .keywords = "api_org_", .regex = SR_B "(api_org_[A-Za-z]{34})" SR_EA},
    {"BW-SEC-GROQ-001", .title = "Groq API key", .severity = BW_SEV_HIGH, .keywords = "gsk_",
     .regex = SR_B "(gsk_[A-Za-z0-9]{52})" SR_EA},
    {"BW-SEC-REPLICATE-001", .title = "Replicate API token", .severity = BW_SEV_HIGH, .keywords = "r8_",
     .regex = SR_B "(r8_[A-Za-z0-9]{37})" SR_EA},
    {"BW-SEC-PERPLEXITY-001", .title = "Perplexity API key", .severity = BW_SEV_HIGH, .keywords = "pplx-",
     .regex = SR_B "(pplx-[A-Za-z0-9]{48})" SR_EA},
    {"BW-SEC-XAI-001", .title = "xAI API key", .severity = BW_SEV_HIGH, .keywords = "xai-",
     .regex = SR_B "(xai-[A-Za-z0-9]{80})" SR_EA},
    {"BW-SEC-COHERE-001", .title = "Cohere API key", .severity = BW_SEV_HIGH, .keywords = "cohere|co_api",
     .regex = SR_KEY("cohere|co_api") "(?:api)?[\\w.-]{0,6}?key" SR_ASSIGN "([A-Za-z0-9]{40})" SR_EA,
     .entropy = 3.0},
    {"BW-SEC-MISTRAL-001", .title = "Mistral AI API key", .severity = BW_SEV_HIGH, .keywords = "mistral",
     .regex = SR_KEY("mistral") "(?:api)?[\\w.-]{0,6}?key" SR_ASSIGN "([A-Za-z0-9]{32})" SR_EA,
     .entropy = 3.0},
    {"BW-SEC-DEEPSEEK-001", .title = "DeepSeek API key", .severity = BW_SEV_HIGH, .keywords = "deepseek",
     .regex = SR_KEY("deepseek") "(?:api)?[\\w.-]{0,6}?key" SR_ASSIGN "(sk-[a-f0-9]{32})" SR_EA},
    {NULL},
};
