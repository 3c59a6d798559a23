/*
 * test_oauth_scopes.c - unit tests for OAuth scope handling in
 * src/model/oauth.c (oauth_scopes_parse, oauth_scopes_cover,
 * oauth_scope_allows). No database is opened.
 */
#include "model/oauth.h"
#include "unit.h"

static char out[512], err[256];

static int parse(const char *in)
{
	memset(out, 'Q', sizeof out);
	out[sizeof out - 1] = '\0';
	err[0] = '\0';
	return oauth_scopes_parse(in, out, sizeof out, err, sizeof err);
}

static void test_parse_separators(void)
{
	CHECK(parse("read+write") == 0);
	CHECK_STR(out, "read write");
	CHECK(parse("read write") == 0);
	CHECK_STR(out, "read write");
	CHECK(parse("read,write") == 0);
	CHECK_STR(out, "read write");
	CHECK(parse("  read ,+ write\tfollow\npush  ") == 0);
	CHECK_STR(out, "read write follow push");
	CHECK(parse("read") == 0);
	CHECK_STR(out, "read");
	CHECK(parse("profile") == 0);
	CHECK_STR(out, "profile");
}

static void test_parse_dedupes(void)
{
	CHECK(parse("read read write read") == 0);
	CHECK_STR(out, "read write");
	CHECK(parse("write:media,write:media+read") == 0);
	CHECK_STR(out, "write:media read");
	/* a sub-scope is not a duplicate of its parent */
	CHECK(parse("read read:accounts") == 0);
	CHECK_STR(out, "read read:accounts");
}

static void test_parse_empty_is_read(void)
{
	CHECK(parse("") == 0);
	CHECK_STR(out, "read");
	CHECK(parse("   ") == 0);
	CHECK_STR(out, "read");
	CHECK(parse(" + , ") == 0);
	CHECK_STR(out, "read");
	CHECK(parse(NULL) == 0);
	CHECK_STR(out, "read");
}

static void test_parse_unknown(void)
{
	CHECK(parse("read:nonsense") == -1);
	CHECK(strstr(err, "read:nonsense") != NULL);
	CHECK(parse("admin") == -1);
	CHECK(strstr(err, "admin") != NULL);
	CHECK(parse("superuser") == -1);
	CHECK(strstr(err, "superuser") != NULL);
	CHECK(parse("read superuser") == -1);
	CHECK(parse("READ") == -1);          /* scopes are case-sensitive */
	CHECK(parse("read:") == -1);
	CHECK(parse(":read") == -1);
	CHECK(parse("admin:") == -1);
	CHECK(parse("admin:read:") == -1);
	CHECK(parse("follow:accounts") == -1);
	CHECK(parse("push:accounts") == -1);
	CHECK(parse("read:accounts:extra") == -1);
	CHECK(parse("read;write") == -1);
	/* an overlong word is refused, not truncated into a known scope */
	{
		char w[200];

		memset(w, 'r', sizeof w - 1);
		w[sizeof w - 1] = '\0';
		memcpy(w, "read", 4);
		CHECK(parse(w) == -1);
		CHECK(err[0] != '\0');
	}
}

static void test_parse_known_sub_scopes(void)
{
	CHECK(parse("read:accounts") == 0);
	CHECK_STR(out, "read:accounts");
	CHECK(parse("admin:read:accounts") == 0);
	CHECK_STR(out, "admin:read:accounts");
	CHECK(parse("write:media") == 0);
	CHECK_STR(out, "write:media");
	CHECK(parse("admin:read admin:write") == 0);
	CHECK_STR(out, "admin:read admin:write");
	CHECK(parse("write:statuses read:notifications write:follows read:search") == 0);
	CHECK_STR(out, "write:statuses read:notifications write:follows read:search");
	CHECK(parse("admin:write:domain_blocks admin:read:ip_blocks") == 0);
	CHECK_STR(out, "admin:write:domain_blocks admin:read:ip_blocks");
}

static void test_parse_small_output(void)
{
	char small[12], e[64] = "";

	CHECK(oauth_scopes_parse("read write", small, sizeof small, e, sizeof e) == 0);
	CHECK_STR(small, "read write");
	e[0] = '\0';
	CHECK(oauth_scopes_parse("read write follow", small, sizeof small, e, sizeof e) == -1);
	CHECK(e[0] != '\0');
	CHECK(strlen(small) < sizeof small);
}

static void test_cover(void)
{
	CHECK(oauth_scopes_cover("read write", "read:accounts write:statuses") == 1);
	CHECK(oauth_scopes_cover("read write", "read write") == 1);
	CHECK(oauth_scopes_cover("read write", "read") == 1);
	CHECK(oauth_scopes_cover("read", "write") == 0);
	CHECK(oauth_scopes_cover("read", "read write") == 0);
	CHECK(oauth_scopes_cover("read", "write:statuses") == 0);
	CHECK(oauth_scopes_cover("read:accounts", "read") == 0);
	CHECK(oauth_scopes_cover("read:accounts", "read:accounts") == 1);
	CHECK(oauth_scopes_cover("read:accounts", "read:statuses") == 0);
	CHECK(oauth_scopes_cover("write", "push") == 0);
	CHECK(oauth_scopes_cover("read write follow push", "push") == 1);
	/* nothing wanted is always covered */
	CHECK(oauth_scopes_cover("read", "") == 1);
	CHECK(oauth_scopes_cover("", "read") == 0);
}

static void test_cover_follow_legacy(void)
{
	CHECK(oauth_scopes_cover("follow", "read:follows write:blocks") == 1);
	CHECK(oauth_scopes_cover("follow", "read:follows write:follows read:blocks "
			       "write:blocks read:mutes write:mutes") == 1);
	CHECK(oauth_scopes_cover("follow", "read:accounts") == 0);
	CHECK(oauth_scopes_cover("follow", "read") == 0);
	CHECK(oauth_scopes_cover("follow", "write:statuses") == 0);
	CHECK(oauth_scopes_cover("read follow", "read:accounts write:mutes") == 1);
}

static void test_cover_admin(void)
{
	CHECK(oauth_scopes_cover("admin:read", "admin:read:accounts") == 1);
	CHECK(oauth_scopes_cover("admin:write", "admin:write:accounts") == 1);
	CHECK(oauth_scopes_cover("admin:read", "admin:write:accounts") == 0);
	CHECK(oauth_scopes_cover("admin:read", "admin:write") == 0);
	CHECK(oauth_scopes_cover("read", "admin:read") == 0);
	CHECK(oauth_scopes_cover("read", "admin:read:accounts") == 0);
	CHECK(oauth_scopes_cover("read write follow push", "admin:read") == 0);
	CHECK(oauth_scopes_cover("admin:read:accounts", "admin:read") == 0);
	CHECK(oauth_scopes_cover("admin:read admin:write", "admin:read:accounts admin:write:reports") == 1);
}

static void test_allows(void)
{
	CHECK(oauth_scope_allows("profile", "read:accounts|profile") == 1);
	CHECK(oauth_scope_allows("write", "read:accounts|profile") == 0);
	CHECK(oauth_scope_allows("read", "read:accounts|profile") == 1);
	CHECK(oauth_scope_allows("read:accounts", "read:accounts|profile") == 1);
	CHECK(oauth_scope_allows("write follow", "read:accounts|profile") == 0);
	CHECK(oauth_scope_allows("read", "read") == 1);
	CHECK(oauth_scope_allows("write", "write:statuses") == 1);
	CHECK(oauth_scope_allows("read", "write:statuses") == 0);
	CHECK(oauth_scope_allows("follow", "write:follows|write:accounts") == 1);
	CHECK(oauth_scope_allows("admin:read", "admin:read:accounts|admin:write") == 1);
	CHECK(oauth_scope_allows("read", "admin:read:accounts|admin:write") == 0);
	/* a single alternative works like cover */
	CHECK(oauth_scope_allows("read write", "read:statuses") == 1);
	/* profile does not widen to the rest of read */
	CHECK(oauth_scope_allows("profile", "read:accounts") == 0);
	CHECK(oauth_scope_allows("profile", "read") == 0);
}

int main(void)
{
	RUN(test_parse_separators);
	RUN(test_parse_dedupes);
	RUN(test_parse_empty_is_read);
	RUN(test_parse_unknown);
	RUN(test_parse_known_sub_scopes);
	RUN(test_parse_small_output);
	RUN(test_cover);
	RUN(test_cover_follow_legacy);
	RUN(test_cover_admin);
	RUN(test_allows);
	return unit_finish("oauth_scopes");
}
