/*
 * instance.c - the instance's description, rules and contact (see
 * instance.h).
 */
#include "model/instance.h"
#include "lib/utf8.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_DESCRIPTION "instance_description"
#define KEY_EXTENDED "instance_extended_description"
#define KEY_RULES "instance_rules"
#define KEY_CONTACT "instance_contact_email"

enum mresult instance_info_get(struct instance_info *out)
{
	memset(out, 0, sizeof *out);
	if (store_setting_get(KEY_DESCRIPTION, out->description, sizeof out->description) != STORE_OK ||
	    store_setting_get(KEY_EXTENDED, out->extended, sizeof out->extended) != STORE_OK ||
	    store_setting_get(KEY_RULES, out->rules, sizeof out->rules) != STORE_OK ||
	    store_setting_get(KEY_CONTACT, out->contact_email, sizeof out->contact_email) != STORE_OK)
		return M_ERROR;
	return M_OK;
}

static enum mresult too_long(char *err, size_t errlen, const char *what, size_t max)
{
	snprintf(err, errlen, "The %s is too long (at most %zu characters)", what, max);
	return M_INVALID;
}

/* Count the rules and check each line's length. */
static enum mresult check_rules(const char *rules, char *err, size_t errlen)
{
	const char *p = rules;
	size_t n = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p), chars = 0, i;

		for (i = 0; i < len; i++)
			if (((unsigned char)p[i] & 0xC0) != 0x80)
				chars++;
		if (len && strspn(p, " \t\r") < len) {
			if (++n > INSTANCE_RULES_MAX) {
				snprintf(err, errlen, "At most %d rules", INSTANCE_RULES_MAX);
				return M_INVALID;
			}
			if (chars > INSTANCE_RULE_MAX)
				return too_long(err, errlen, "rule", INSTANCE_RULE_MAX);
		}
		if (!e)
			break;
		p = e + 1;
	}
	return M_OK;
}

enum mresult instance_info_set(const char *description, const char *extended, const char *rules,
			       const char *contact_email, char *err, size_t errlen)
{
	if (description && utf8_chars(description) > INSTANCE_DESCRIPTION_MAX)
		return too_long(err, errlen, "description", INSTANCE_DESCRIPTION_MAX);
	if (extended && utf8_chars(extended) > INSTANCE_EXTENDED_MAX)
		return too_long(err, errlen, "extended description", INSTANCE_EXTENDED_MAX);
	if (rules && check_rules(rules, err, errlen) != M_OK)
		return M_INVALID;
	if (contact_email && contact_email[0]) {
		const char *at = strchr(contact_email, '@');

		if (!at || at == contact_email || !at[1] || strchr(at + 1, '@') ||
		    strlen(contact_email) >= 255 || strpbrk(contact_email, " \t\r\n<>\"")) {
			snprintf(err, errlen, "The contact email does not look like an address");
			return M_INVALID;
		}
	}
	if ((description && store_setting_set(KEY_DESCRIPTION, description) != STORE_OK) ||
	    (extended && store_setting_set(KEY_EXTENDED, extended) != STORE_OK) ||
	    (rules && store_setting_set(KEY_RULES, rules) != STORE_OK) ||
	    (contact_email && store_setting_set(KEY_CONTACT, contact_email) != STORE_OK)) {
		snprintf(err, errlen, "Storage error");
		return M_ERROR;
	}
	return M_OK;
}

/* Copy s[0..len) trimmed of spaces into out (n bytes). */
static void trimmed(char *out, size_t n, const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

void instance_rules_each(const char *rules,
			 void (*fn)(const char *id, const char *text, const char *hint, void *), void *ctx)
{
	char line[INSTANCE_RULE_MAX * 4 + 1], text[sizeof line], hint[sizeof line], id[16];
	const char *p = rules;
	int n = 0;

	while (p && *p) {
		const char *e = strchr(p, '\n'), *bar;
		size_t len = e ? (size_t)(e - p) : strlen(p);

		trimmed(line, sizeof line, p, len);
		if (line[0]) {
			bar = strstr(line, " | ");
			if (bar) {
				trimmed(text, sizeof text, line, (size_t)(bar - line));
				trimmed(hint, sizeof hint, bar + 3, strlen(bar + 3));
			} else {
				snprintf(text, sizeof text, "%s", line);
				hint[0] = '\0';
			}
			snprintf(id, sizeof id, "%d", ++n);
			fn(id, text, hint, ctx);
		}
		if (!e)
			break;
		p = e + 1;
	}
}
