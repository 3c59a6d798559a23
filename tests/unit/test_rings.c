/*
 * test_rings.c - vote ring detection (model/idea_rings.c) on generated
 * data: organic voters with overlapping random interests, a ring voting
 * identically, friends who happen to agree.
 */
#include "unit.h"
#include "model/idea_rings.h"

#include <stdint.h>
#include <stdlib.h>

#define VOTES_MAX 20000

static struct ring_vote votes[VOTES_MAX];
static size_t nvotes;
static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static void vote(int64_t account, int64_t idea)
{
	if (nvotes < VOTES_MAX) {
		votes[nvotes].account_id = account;
		votes[nvotes].idea_id = idea;
		nvotes++;
	}
}

/* 300 organic voters (ids 1..300) on 200 ideas (ids 1000..1199) in 10
 * topics of 20: each likes 1 to 3 topics and votes on 2 to 9 ideas of
 * them, and one in three also on one idea anywhere. Interests overlap (a
 * topic has some 60 fans), yet three organic sets near-identical on 3
 * ideas or more are rare: no seed below makes one. */
static void organic(uint64_t seed)
{
	int64_t a;

	rng_state = seed;
	for (a = 1; a <= 300; a++) {
		unsigned ntopics = 1 + rnd(3), nv = 2 + rnd(8), t, i;
		unsigned topics[3];

		for (t = 0; t < ntopics; t++)
			topics[t] = rnd(10);
		for (i = 0; i < nv; i++)
			vote(a, 1000 + topics[rnd(ntopics)] * 20 + rnd(20));
		if (rnd(3) == 0)
			vote(a, 1000 + rnd(200));
	}
}

static int contains(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void test_ring_flagged_organic_not(void)
{
	uint64_t seed;

	for (seed = 1; seed <= 20; seed++) {
		int64_t *found = NULL, a;
		size_t n = 0, i;
		int organic_flagged = 0;

		nvotes = 0;
		organic(seed);
		/* the ring: 5 accounts, the same 6 ideas (which organic voters vote on too) */
		for (a = 9001; a <= 9005; a++)
			for (i = 0; i < 6; i++)
				vote(a, 1003 + (int64_t)i * 7);
		/* two friends agreeing on 2 ideas, and nothing else */
		vote(8001, 1001);
		vote(8001, 1002);
		vote(8002, 1001);
		vote(8002, 1002);
		CHECK(idea_rings_find(votes, nvotes, &found, &n) == 0);
		for (a = 9001; a <= 9005; a++)
			CHECK(contains(found, n, a));
		for (i = 0; i < n; i++)
			if (found[i] < 9001)
				organic_flagged++;
		CHECK(organic_flagged == 0);
		CHECK(!contains(found, n, 8001) && !contains(found, n, 8002));
		if (organic_flagged)
			fprintf(stderr, "  seed %llu: %d organic voters flagged\n", (unsigned long long)seed,
				organic_flagged);
		free(found);
	}
}

static void test_near_identical_ring(void)
{
	int64_t *found = NULL, a;
	size_t n = 0, i;

	/* 4 accounts on 8 shared ideas; each adds one idea another member
	 * also voted on: pairwise Jaccard >= 0.8, nothing outside the set */
	nvotes = 0;
	for (a = 1; a <= 4; a++)
		for (i = 0; i < 8; i++)
			vote(a, 100 + (int64_t)i);
	vote(1, 200);
	vote(2, 200);
	CHECK(idea_rings_find(votes, nvotes, &found, &n) == 0);
	CHECK(n == 4);
	for (a = 1; a <= 4; a++)
		CHECK(contains(found, n, a));
	free(found);
}

static void test_small_groups_are_not_rings(void)
{
	int64_t *found = NULL;
	size_t n = 0, i;

	/* a pair agreeing on 5 ideas: fewer than 3 accounts */
	nvotes = 0;
	for (i = 0; i < 5; i++) {
		vote(1, 10 + (int64_t)i);
		vote(2, 10 + (int64_t)i);
	}
	/* three friends agreeing on 2 ideas: fewer than 3 shared ideas */
	for (i = 0; i < 2; i++) {
		vote(3, 50 + (int64_t)i);
		vote(4, 50 + (int64_t)i);
		vote(5, 50 + (int64_t)i);
	}
	CHECK(idea_rings_find(votes, nvotes, &found, &n) == 0);
	CHECK(n == 0 && found == NULL);
	free(found);
}

static void test_solo_voter_leaves_the_group(void)
{
	int64_t *found = NULL;
	size_t n = 0, i;

	/* 1, 2, 3 vote identically on 4 ideas; 4 too, and also alone on
	 * idea 99 (Jaccard 4/5 = 0.8, so it is in the clique): 4 is organic
	 * enough to leave, the other three are the ring */
	nvotes = 0;
	for (i = 0; i < 4; i++) {
		vote(1, 10 + (int64_t)i);
		vote(2, 10 + (int64_t)i);
		vote(3, 10 + (int64_t)i);
		vote(4, 10 + (int64_t)i);
	}
	vote(4, 99);
	CHECK(idea_rings_find(votes, nvotes, &found, &n) == 0);
	CHECK(n == 3);
	CHECK(contains(found, n, 1) && contains(found, n, 2) && contains(found, n, 3));
	CHECK(!contains(found, n, 4));
	free(found);
}

static void test_empty_and_duplicates(void)
{
	int64_t *found = (int64_t *)1;
	size_t n = 7, i;

	CHECK(idea_rings_find(votes, 0, &found, &n) == 0);
	CHECK(found == NULL && n == 0);
	/* duplicates count once: 3 accounts x 3 ideas, each vote given twice */
	nvotes = 0;
	for (i = 0; i < 18; i++)
		vote(1 + (int64_t)(i % 3), 20 + (int64_t)((i / 3) % 3));
	CHECK(idea_rings_find(votes, nvotes, &found, &n) == 0);
	CHECK(n == 3);
	free(found);
}

int main(void)
{
	RUN(test_ring_flagged_organic_not);
	RUN(test_near_identical_ring);
	RUN(test_small_groups_are_not_rings);
	RUN(test_solo_voter_leaves_the_group);
	RUN(test_empty_and_duplicates);
	return unit_finish("rings");
}
