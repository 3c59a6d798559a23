/*
 * test_question.c - the pure helpers of model/question.h: tag
 * normalisation, the FTS5 expression for "similar questions" (every word
 * a quoted prefix term, OR'ed, so no user text can break the query
 * syntax) and the tag list lookup.
 */
#include "model/question.h"
#include "unit.h"

#include <string.h>

static void test_tag_normalise(void)
{
	char out[256];

	CHECK(question_tag_normalise("Postgres", out, sizeof out) == 0);
	CHECK_STR(out, "postgres");
	CHECK(question_tag_normalise("  #Billing ", out, sizeof out) == 0);
	CHECK_STR(out, "billing");
	CHECK(question_tag_normalise("query   planning", out, sizeof out) == 0);
	CHECK_STR(out, "query-planning");
	CHECK(question_tag_normalise("C++", out, sizeof out) == 0);
	CHECK_STR(out, "c++");
	CHECK(question_tag_normalise("node.js", out, sizeof out) == 0);
	CHECK_STR(out, "node.js");
	CHECK(question_tag_normalise("Ærø", out, sizeof out) == 0);   /* UTF-8 kept as is */
	CHECK_STR(out, "Ærø");
	CHECK(question_tag_normalise("", out, sizeof out) < 0);
	CHECK(question_tag_normalise("#", out, sizeof out) < 0);
	CHECK(question_tag_normalise("   ", out, sizeof out) < 0);
	CHECK(question_tag_normalise("a/b", out, sizeof out) < 0);
	CHECK(question_tag_normalise("quote\"d", out, sizeof out) < 0);
	CHECK(question_tag_normalise(NULL, out, sizeof out) < 0);
	{
		char longtag[80];

		memset(longtag, 'x', 50);
		longtag[50] = '\0';
		CHECK(question_tag_normalise(longtag, out, sizeof out) == 0);
		longtag[50] = 'x';
		longtag[51] = '\0';
		CHECK(question_tag_normalise(longtag, out, sizeof out) < 0);
	}
	CHECK(question_tag_normalise("postgres", out, 4) < 0);          /* does not fit */
}

static void test_match_expr(void)
{
	char out[256];

	CHECK(question_match_expr("Slow VACUUM?", out, sizeof out) == 2);
	CHECK_STR(out, "\"Slow\"* OR \"VACUUM\"*");
	CHECK(question_match_expr("  \"*:( OR AND NEAR(", out, sizeof out) == 3);
	CHECK_STR(out, "\"OR\"* OR \"AND\"* OR \"NEAR\"*");
	CHECK(question_match_expr("\"*:(", out, sizeof out) == 0);
	CHECK_STR(out, "");
	CHECK(question_match_expr(NULL, out, sizeof out) == 0);
	CHECK(question_match_expr("café crème", out, sizeof out) == 2);
	CHECK_STR(out, "\"café\"* OR \"crème\"*");
	CHECK(question_match_expr("a b c d e f g h i j k l m n o p q r s", out, sizeof out) == 16);
	CHECK(question_match_expr("postgres", out, 8) < 0);
}

static void test_tags_has(void)
{
	CHECK(question_tags_has("postgres billing ops", "billing"));
	CHECK(question_tags_has("postgres billing ops", "postgres"));
	CHECK(question_tags_has("postgres billing ops", "ops"));
	CHECK(!question_tags_has("postgres billing ops", "bill"));
	CHECK(!question_tags_has("postgres billing ops", "gres"));
	CHECK(!question_tags_has("", "ops"));
	CHECK(!question_tags_has("ops", ""));
}

int main(void)
{
	RUN(test_tag_normalise);
	RUN(test_match_expr);
	RUN(test_tags_has);
	return unit_finish("test_question");
}
