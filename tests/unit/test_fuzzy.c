/*
 * test_fuzzy.c - name keys, the bounded edit distance and best-match
 * resolution (lib/fuzzy.h), and a measurement of the typo tolerance on a
 * realistic skill vocabulary: every single-edit typo (deletion, insertion,
 * substitution, transposition) of each skill's key, and every
 * two-deletion typo of the longer ones, is resolved against the whole
 * vocabulary; the share resolved to the right skill, to a wrong one, and
 * not at all is printed (docs/ARCHITECTURE.md quotes it) and bounded.
 */
#include "lib/fuzzy.h"
#include "lib/timeutil.h"
#include "unit.h"

static const char *const vocabulary[] = {
	"JavaScript", "TypeScript", "Python", "Java", "Kotlin", "Swift", "Rust", "Go", "C", "C++", "C#",
	"Ruby", "PHP", "Scala", "Haskell", "Erlang", "Elixir", "Clojure", "Perl", "R", "MATLAB", "Julia",
	"SQL", "PostgreSQL", "MySQL", "SQLite", "MongoDB", "Redis", "Cassandra", "Elasticsearch", "Kafka",
	"RabbitMQ", "Docker", "Kubernetes", "Terraform", "Ansible", "Puppet", "Chef", "Jenkins",
	"GitHub Actions", "GitLab CI", "AWS", "Azure", "Google Cloud", "Linux", "Windows Server", "Networking",
	"Security", "Cryptography", "Penetration Testing", "Machine Learning", "Deep Learning",
	"Natural Language Processing", "Computer Vision", "Data Analysis", "Data Engineering", "Statistics",
	"Excel", "Power BI", "Tableau", "Spark", "Hadoop", "Airflow", "dbt", "Snowflake", "BigQuery",
	"React", "Vue", "Angular", "Svelte", "Node.js", "Django", "Flask", "Rails", "Spring", "GraphQL",
	"REST", "gRPC", "HTML", "CSS", "Accessibility", "UX Design", "UI Design", "Figma", "Illustrator",
	"Photoshop", "Copywriting", "Technical Writing", "Translation", "Public Speaking", "Negotiation",
	"Project Management", "Product Management", "Agile", "Scrum", "Kanban", "Budgeting", "Accounting",
	"Financial Modelling", "Tax", "Payroll", "Recruiting", "Onboarding", "Coaching", "Mentoring",
	"Leadership", "Sales", "Marketing", "SEO", "Customer Support", "Procurement", "Logistics",
	"Supply Chain", "Legal", "Contracts", "Compliance", "GDPR", "Risk Management", "Quality Assurance",
	"Test Automation", "Embedded Systems", "FPGA", "Electronics", "Mechanical Engineering", "CAD",
	"Robotics", "Arabic", "Mandarin", "Spanish", "German", "French", "Japanese", "Portuguese",
};
#define NVOC (sizeof vocabulary / sizeof vocabulary[0])

static char keys[NVOC][128];
static const char *keyp[NVOC];

static void build_keys(void)
{
	size_t i;

	for (i = 0; i < NVOC; i++) {
		fuzzy_key(vocabulary[i], keys[i], sizeof keys[i]);
		keyp[i] = keys[i];
	}
}

static void test_key(void)
{
	char k[64];

	CHECK(fuzzy_key("Node.js", k, sizeof k) == 6);
	CHECK_STR(k, "nodejs");
	fuzzy_key("node JS", k, sizeof k);
	CHECK_STR(k, "nodejs");
	fuzzy_key("C++", k, sizeof k);
	CHECK_STR(k, "c++");
	fuzzy_key("C#", k, sizeof k);
	CHECK_STR(k, "c#");
	CHECK(fuzzy_key("Zürich-Nord", k, sizeof k) == 10);
	CHECK_STR(k, "zürichnord");
	CHECK(fuzzy_key("ABCDEFGH", k, 4) == -1);
	CHECK_STR(k, "");
}

static void test_distance(void)
{
	CHECK(fuzzy_distance("kubernetes", "kubernetes", 2) == 0);
	CHECK(fuzzy_distance("kubernetes", "kuberntes", 2) == 1);    /* deletion */
	CHECK(fuzzy_distance("kubernetes", "kubernettes", 2) == 1);  /* insertion */
	CHECK(fuzzy_distance("kubernetes", "kubernetez", 2) == 1);   /* substitution */
	CHECK(fuzzy_distance("kubernetes", "kuberentes", 2) == 1);   /* transposition */
	CHECK(fuzzy_distance("kubernetes", "kbuernetse", 2) == 2);
	CHECK(fuzzy_distance("kubernetes", "docker", 2) == 3);       /* beyond: max + 1 */
	CHECK(fuzzy_distance("abc", "abcdef", 1) == 2);
	CHECK(fuzzy_distance("zürich", "zurich", 1) == 1);           /* characters, not bytes */
	CHECK(fuzzy_distance("", "", 0) == 0);
	CHECK(fuzzy_distance("a", "", 1) == 1);
	CHECK(fuzzy_budget(2) == 0 && fuzzy_budget(4) == 1 && fuzzy_budget(8) == 2);
}

static void test_best(void)
{
	char k[64];
	int d;
	long i;

	build_keys();
	fuzzy_key("Kubernets", k, sizeof k);
	i = fuzzy_best(k, keyp, NVOC, NULL, &d);
	CHECK(i >= 0 && !strcmp(vocabulary[i], "Kubernetes") && d == 1);
	fuzzy_key("javascirpt", k, sizeof k);
	i = fuzzy_best(k, keyp, NVOC, NULL, &d);
	CHECK(i >= 0 && !strcmp(vocabulary[i], "JavaScript"));
	/* short names need to be exact */
	fuzzy_key("Ga", k, sizeof k);
	CHECK(fuzzy_best(k, keyp, NVOC, NULL, &d) == -1 && d == -1);
	fuzzy_key("go", k, sizeof k);
	i = fuzzy_best(k, keyp, NVOC, NULL, &d);
	CHECK(i >= 0 && !strcmp(vocabulary[i], "Go") && d == 0);
	/* unrelated words match nothing */
	fuzzy_key("gardening", k, sizeof k);
	CHECK(fuzzy_best(k, keyp, NVOC, NULL, NULL) == -1);
	/* ties go to the heavier key */
	{
		const char *const two[] = { "rust", "ruby" };
		const long long w[] = { 1, 5 };

		CHECK(fuzzy_best("ruxy", two, 2, w, &d) == 1 && d == 1);
		CHECK(fuzzy_best("rusy", two, 2, w, &d) == 1);   /* rust and ruby both 1 away: weight */
		CHECK(fuzzy_best("rusy", two, 2, NULL, &d) == 0); /* no weights: the first */
	}
}

struct tally {
	long right, wrong, none;
};

static void resolve(const char *typo, size_t want, struct tally *t)
{
	long i;

	if (!*typo)
		return;
	i = fuzzy_best(typo, keyp, NVOC, NULL, NULL);
	if (i < 0)
		t->none++;
	else if ((size_t)i == want || !strcmp(keyp[i], keyp[want]))
		t->right++;
	else
		t->wrong++;
}

/* Every single-edit typo of each ASCII key of 4+ characters. */
static void test_measure_typos(void)
{
	struct tally one = { 0, 0, 0 }, two = { 0, 0, 0 };
	char typo[160];
	size_t v, i, j, len;
	int64_t t0 = time_mono_us(), us;
	long total;

	build_keys();
	for (v = 0; v < NVOC; v++) {
		const char *k = keys[v];

		len = strlen(k);
		if (len < 4)
			continue;
		for (i = 0; i < len; i++) {
			/* deletion */
			memcpy(typo, k, i);
			memcpy(typo + i, k + i + 1, len - i);
			resolve(typo, v, &one);
			/* substitution by the next letter, and insertion of 'x' */
			snprintf(typo, sizeof typo, "%s", k);
			typo[i] = (char)(k[i] == 'z' ? 'a' : k[i] >= 'a' && k[i] < 'z' ? k[i] + 1 : 'q');
			resolve(typo, v, &one);
			memcpy(typo, k, i);
			typo[i] = 'x';
			memcpy(typo + i + 1, k + i, len - i + 1);
			resolve(typo, v, &one);
			/* transposition */
			if (i + 1 < len && k[i] != k[i + 1]) {
				snprintf(typo, sizeof typo, "%s", k);
				typo[i] = k[i + 1];
				typo[i + 1] = k[i];
				resolve(typo, v, &one);
			}
		}
		/* two deletions in the longer names */
		if (len >= 8)
			for (i = 0; i + 1 < len; i++)
				for (j = i + 1; j < len; j++) {
					size_t o = 0, x;

					for (x = 0; x < len; x++)
						if (x != i && x != j)
							typo[o++] = k[x];
					typo[o] = '\0';
					resolve(typo, v, &two);
				}
	}
	us = time_mono_us() - t0;
	total = one.right + one.wrong + one.none;
	printf("  typo tolerance, one edit: %ld typos, %.1f%% right, %.1f%% wrong, %.1f%% unmatched\n",
	       total, 100.0 * one.right / total, 100.0 * one.wrong / total, 100.0 * one.none / total);
	total = two.right + two.wrong + two.none;
	printf("  typo tolerance, two deletions (8+ characters): %ld typos, %.1f%% right, %.1f%% wrong, "
	       "%.1f%% unmatched\n", total, 100.0 * two.right / total, 100.0 * two.wrong / total,
	       100.0 * two.none / total);
	printf("  %zu-entry vocabulary: %.1f us per lookup\n", NVOC,
	       (double)us / (double)(one.right + one.wrong + one.none + total));
	CHECK(one.right * 100 >= (one.right + one.wrong + one.none) * 95);
	CHECK(one.wrong * 100 <= (one.right + one.wrong + one.none) * 3);
	CHECK(two.right * 100 >= total * 85);
}

/* Words that are no skill should mostly stay unmatched. */
static void test_measure_false_matches(void)
{
	static const char *const words[] = {
		"gardening", "cooking", "football", "guitar", "painting", "hiking", "chess", "poetry",
		"cycling", "yoga", "running", "photography", "knitting", "sailing", "climbing", "history",
		"astronomy", "birdwatching", "theatre", "opera", "pottery", "baking", "fishing", "skiing",
		"dancing", "karate", "tennis", "golf", "rowing", "swimming", "surfing", "camping",
		"javelin", "rusty", "pythons", "goal", "scum", "spring", "sales", "legal",
	};
	size_t i, n = sizeof words / sizeof words[0];
	long matched = 0;
	char k[64];

	build_keys();
	for (i = 0; i < n; i++) {
		fuzzy_key(words[i], k, sizeof k);
		if (fuzzy_best(k, keyp, NVOC, NULL, NULL) >= 0)
			matched++;
	}
	printf("  other words matched to a skill: %ld of %zu (near-names such as \"rusty\", \"pythons\","
	       " \"scum\" are meant to match)\n", matched, n);
	CHECK(matched <= 12);
}

int main(void)
{
	RUN(test_key);
	RUN(test_distance);
	RUN(test_best);
	RUN(test_measure_typos);
	RUN(test_measure_false_matches);
	return unit_finish("test_fuzzy");
}
