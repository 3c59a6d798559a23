/*
 * seed.c - the benchmark data generator (issue 8): build/parley-bench-seed.
 *
 * Builds a realistic organisation of a chosen size straight through the
 * store layer (no HTTP, no Argon2id per account), reproducibly from a seed:
 *
 *   parley-bench-seed --size S|M|L [--seed N] --data DIR [--out DIR]
 *                     [--people N] [--posts N] [--base-url URL]
 *
 *   S: 1,000 people, 50,000 posts    M: 20,000 / 1,000,000
 *   L: 200,000 / 10,000,000
 *
 * DIR must not hold a database yet. Besides DIR/parley.db it writes, into
 * --out (default DIR), what the load scripts need (bench/run.sh):
 *   tokens.txt    an access token per staff account, one a line
 *   authors.txt   "NAME TOKEN" for the special authors: solo (0 followers),
 *                 k1 (1,000), k20 (20,000, or everyone at size S),
 *                 all (the all-staff announcements account, followed by
 *                 every staff member: the streaming test posts as it)
 *   threads.txt   ids of posts with replies (a single post + its context)
 *   questions.txt "ID TOKEN": questions, each with a reader's token
 *   boards.txt    "SPACE_ID TOKEN": idea boards, with members' tokens
 *   tags.txt      the 20 commonest hashtags
 *   people_q.txt, people_knows.txt  words and skills for the people finder
 *   seed.json     sizes, row counts, seconds per phase
 *
 * Why a separate binary and not `parley bench-seed`: it links the same
 * build/libparley.a (so the rows come from the real store and model code:
 * store_post_insert() with its counters, people_reindex() for the search
 * index), but the server binary carries none of it, and no BENCH=1 build
 * is needed to seed.
 *
 * Shapes (each choice is commented where it is made):
 *  - participation inequality 1/9/90: 1% of people are heavy writers, 9%
 *    occasional, 90% rare (weights 300 : 10 : 0.5, so the 1% write about
 *    two thirds of the posts);
 *  - follows heavy-tailed: each staff member follows a log-normal number of
 *    people (median 50), chosen by popularity (Zipf-like over a random
 *    order, correlated with activity); three all-staff accounts
 *    (announcements, the CEO, the IT service desk) are followed by
 *    everyone;
 *  - hashtags Zipf-distributed (s = 1) over a vocabulary of ~170;
 *  - departments, offices (with time zones), titles, languages and skills
 *    from the lists below, skewed; skills Zipf over ~130 with levels and
 *    endorsements; a reporting line per department;
 *  - spaces of 3 to 5,000 members (log-normal sizes plus one all-hands
 *    space), 65% internal, 20% external (with guests), 15% public;
 *  - of all posts: 10% reblogs, 30% replies, 60% originals; originals 25%
 *    in one of the author's spaces when they have one, else public 30%,
 *    organisation 57%, followers-only 8%, direct 5%; 1.5 favourites a post
 *    on average, on recent posts;
 *  - questions (2 % of the post count) with answers and votes, idea
 *    boards in a tenth of the spaces with ideas (0.5 %), versions, votes
 *    and comments, written among the posts in time order: see qi_plan()
 *    and extras_until(), which draw from a random stream of their own so
 *    the rows above stay as they were.
 *
 * Passwords: one Argon2id hash of "bench password 2026", computed once
 * and stored for every account (so any account can also sign in through
 * the password grant); the load scripts use the tokens written here,
 * inserted directly as oauth_tokens rows with their BLAKE2b hashes.
 *
 * Speed: one transaction with synchronous=OFF and journal_mode=OFF
 * (store_bench_bulk_begin), prepared statements reused by the store's
 * statement cache, rows inserted in id order; indexes as the migrations
 * define them. Post content is escaped plain text in <p>...</p> with the
 * hashtag and mention links the Markdown renderer would write, without
 * going through cmark; questions, answers and ideas (fewer, and in
 * Markdown with code and lists) go through the real renderer.
 */
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/markdown.h"
#include "lib/secret.h"
#include "model/password.h"
#include "model/people.h"
#include "store/store.h"
#include "store/store_bench.h"
#include "store/store_conversations.h"
#include "store/store_people.h"
#include "store/store_posts.h"
#include "store/store_spaces.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* bump when what the generator writes changes: bench/run.sh keys its
 * cache with it (and the schema version) */
#define GENERATOR_VERSION 2

/* ---- the random numbers: splitmix64 seeds xoshiro256** ------------------- */

static uint64_t rs[4];

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static void rng_seed(uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rs[i] = splitmix64(&seed);
}

/* uniform in [0, n) (n > 0), without modulo bias (Lemire) */
static uint64_t below(uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)rng() * n;
	uint64_t l = (uint64_t)m;

	if (l < n) {
		uint64_t t = -n % n;

		while (l < t) {
			m = (unsigned __int128)rng() * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

static double unit(void)
{
	return (double)(rng() >> 11) * (1.0 / 9007199254740992.0);
}

static double normal(void)
{
	double u = unit(), v = unit();

	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static double lognormal(double median, double sigma)
{
	return median * exp(sigma * normal());
}

/* ---- weighted choice: cumulative weights and a binary search -------------- */

struct picker {
	double *cum;
	size_t n;
};

static void picker_init(struct picker *p, const double *w, size_t n)
{
	double t = 0;
	size_t i;

	p->cum = malloc(n * sizeof *p->cum);
	if (!p->cum) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	for (i = 0; i < n; i++)
		p->cum[i] = (t += w[i]);
	p->n = n;
}

static size_t pick(const struct picker *p)
{
	double x = unit() * p->cum[p->n - 1];
	size_t lo = 0, hi = p->n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Zipf weights 1 / (rank + 1)^s into a picker over n items. */
static void zipf_init(struct picker *p, size_t n, double s)
{
	double *w = malloc(n * sizeof *w);
	size_t i;

	if (!w)
		exit(1);
	for (i = 0; i < n; i++)
		w[i] = 1.0 / pow((double)(i + 1), s);
	picker_init(p, w, n);
	free(w);
}

/* ---- vocabularies (written for this generator) ---------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_names[] = {
	"Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
	"Kavya", "Liam", "Maria", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Samir", "Tara",
	"Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Dmitri",
	"Emma", "Felix", "Giulia", "Hannah", "Ivan", "Julia", "Kenji", "Laura", "Mateo", "Nadia",
	"Oscar", "Priya", "Rafael", "Sofia", "Tomas", "Ursula", "Victor", "Wanjiru", "Yara", "Zain",
	"Amelie", "Bilal", "Clara", "Diego", "Esther", "Finn", "Gabriel", "Helga", "Isaac", "Jana",
	"Karim", "Lena", "Marco", "Nora", "Omar", "Paula", "Ruth", "Stefan", "Thea", "Uwe",
};
static const char *const last_names[] = {
	"Schmidt", "Garcia", "Nguyen", "Okafor", "Rossi", "Kowalski", "Dubois", "Tanaka", "Silva", "Jensen",
	"Murphy", "Novak", "Haddad", "Kim", "Larsen", "Moreau", "Petrov", "Santos", "Weber", "Yilmaz",
	"Andersson", "Bauer", "Costa", "Dimitriou", "Eriksen", "Fischer", "Gomez", "Hoffmann", "Ivanova", "Jovanovic",
	"Kaur", "Lopez", "Meyer", "Nakamura", "Olsen", "Patel", "Quintero", "Richter", "Sato", "Torres",
	"Ueda", "Varga", "Wagner", "Xu", "Young", "Zimmermann", "Ahmed", "Becker", "Chen", "Diaz",
	"Engel", "Ferrari", "Gruber", "Horvat", "Ito", "Jung", "Keller", "Lindqvist", "Mendes", "Nowak",
	"Ortiz", "Park", "Ruiz", "Schulz", "Tran", "Vogel", "Walsh", "Zhang", "Abe", "Brennan",
};
/* department, weight (the biggest holds about a sixth of the people) */
static const struct { const char *name; double w; } departments[] = {
	{ "Engineering", 16 }, { "Customer Support", 10 }, { "Sales", 9 }, { "Operations", 7 },
	{ "Marketing", 6 }, { "Finance", 5 }, { "Product", 5 }, { "Human Resources", 4 },
	{ "Research", 4 }, { "Legal", 2 }, { "Data Science", 4 }, { "IT Services", 4 },
	{ "Procurement", 2 }, { "Facilities", 2 }, { "Quality Assurance", 3 }, { "Design", 3 },
	{ "Communications", 2 }, { "Security", 2 }, { "Training", 2 }, { "Logistics", 3 },
	{ "Manufacturing", 4 }, { "Partnerships", 1.5 }, { "Strategy", 1 }, { "Compliance", 1.5 },
};
/* office, time zone, weight */
static const struct { const char *name, *tz; double w; } locations[] = {
	{ "London", "Europe/London", 12 }, { "Berlin", "Europe/Berlin", 9 }, { "Paris", "Europe/Paris", 6 },
	{ "Madrid", "Europe/Madrid", 4 }, { "Amsterdam", "Europe/Amsterdam", 4 }, { "Dublin", "Europe/Dublin", 3 },
	{ "Warsaw", "Europe/Warsaw", 4 }, { "Stockholm", "Europe/Stockholm", 2 }, { "Milan", "Europe/Rome", 3 },
	{ "Vienna", "Europe/Vienna", 2 }, { "Zurich", "Europe/Zurich", 2 }, { "Lisbon", "Europe/Lisbon", 2 },
	{ "New York", "America/New_York", 8 }, { "Toronto", "America/Toronto", 3 }, { "Austin", "America/Chicago", 3 },
	{ "San Francisco", "America/Los_Angeles", 4 }, { "Mexico City", "America/Mexico_City", 2 },
	{ "Sao Paulo", "America/Sao_Paulo", 3 }, { "Bangalore", "Asia/Kolkata", 6 }, { "Singapore", "Asia/Singapore", 3 },
	{ "Tokyo", "Asia/Tokyo", 3 }, { "Seoul", "Asia/Seoul", 1.5 }, { "Sydney", "Australia/Sydney", 2 },
	{ "Nairobi", "Africa/Nairobi", 1.5 }, { "Cape Town", "Africa/Johannesburg", 1 }, { "Dubai", "Asia/Dubai", 1.5 },
	{ "Remote", "", 5 },
};
static const char *const titles[] = {
	"Software Engineer", "Senior Software Engineer", "Support Specialist", "Account Executive",
	"Operations Analyst", "Marketing Manager", "Financial Analyst", "Product Manager", "HR Business Partner",
	"Research Scientist", "Legal Counsel", "Data Scientist", "Systems Administrator", "Buyer",
	"Facilities Coordinator", "Test Engineer", "UX Designer", "Communications Lead", "Security Engineer",
	"Trainer", "Logistics Planner", "Production Engineer", "Partner Manager", "Strategy Consultant",
	"Compliance Officer", "Team Lead", "Engineering Manager", "Director", "Intern", "Technical Writer",
};
static const char *const languages[] = {
	"English", "German", "French", "Spanish", "Italian", "Portuguese", "Polish", "Dutch",
	"Japanese", "Hindi", "Mandarin", "Arabic",
};
/* in rough order of how common they are (drawn Zipf by position) */
static const char *const skills[] = {
	"Python", "Excel", "Project Management", "SQL", "Customer Service", "Negotiation", "JavaScript",
	"Java", "Public Speaking", "Data Analysis", "Linux", "Agile", "Kubernetes", "Docker", "Accounting",
	"Technical Writing", "C", "Go", "Rust", "TypeScript", "React", "PostgreSQL", "AWS", "Azure",
	"Machine Learning", "Statistics", "Budgeting", "Recruiting", "Coaching", "Contract Law",
	"Supply Chain", "Lean Manufacturing", "Six Sigma", "UX Research", "Figma", "Copywriting", "SEO",
	"Salesforce", "SAP", "Forecasting", "Risk Management", "GDPR", "ISO 27001", "Penetration Testing",
	"Networking", "Terraform", "Ansible", "CI/CD", "Git", "Code Review", "Mentoring", "Facilitation",
	"Change Management", "Product Strategy", "Pricing", "Market Research", "Brand Strategy", "Video Editing",
	"Photography", "Event Planning", "Procurement", "Vendor Management", "Payroll", "Tax",
	"Financial Modelling", "Power BI", "Tableau", "R", "Scala", "Spark", "Kafka", "Elasticsearch",
	"Redis", "Nginx", "C++", "C#", ".NET", "PHP", "Ruby", "Swift", "Kotlin", "Android", "iOS",
	"Embedded Systems", "PLC Programming", "CAD", "Quality Control", "Root Cause Analysis", "Logistics",
	"Warehouse Management", "Customer Success", "Account Management", "Cold Calling", "Onboarding",
	"Training Design", "E-learning", "Translation", "German", "French", "Spanish", "Japanese",
	"Accessibility", "Information Security", "Incident Response", "Observability", "Prometheus",
	"Grafana", "Data Engineering", "dbt", "Airflow", "Deep Learning", "NLP", "Computer Vision",
	"Product Analytics", "A/B Testing", "Roadmapping", "Stakeholder Management", "OKRs",
	"Workshop Design", "Conflict Resolution", "Employment Law", "Benefits", "Diversity and Inclusion",
	"Internal Communications", "Crisis Communications", "Social Media", "Community Management",
	"Partnerships", "Business Development", "Strategy", "Due Diligence", "Auditing", "Compliance",
};
/* hashtags, commonest first */
static const char *const tags[] = {
	"release", "teamwork", "customers", "incident", "onboarding", "kudos", "roadmap", "security",
	"hiring", "allhands", "product", "quality", "sales", "support", "devops", "data", "design",
	"training", "wellbeing", "sustainability", "ai", "ux", "kubernetes", "python", "rust", "golang",
	"javascript", "postgres", "cloud", "cost", "okr", "q1", "q2", "q3", "q4", "retro", "demo",
	"hackathon", "conference", "webinar", "blog", "docs", "api", "mobile", "web", "performance",
	"outage", "postmortem", "oncall", "migration", "launch", "beta", "feedback", "survey", "diversity",
	"volunteering", "charity", "office", "remote", "travel", "lunch", "coffee", "book", "podcast",
	"learning", "mentoring", "career", "promotion", "welcome", "farewell", "anniversary", "birthday",
	"london", "berlin", "paris", "newyork", "bangalore", "tokyo", "singapore", "sydney", "madrid",
	"warsaw", "finance", "budget", "legal", "gdpr", "compliance", "audit", "procurement", "vendor",
	"logistics", "warehouse", "manufacturing", "safety", "facilities", "it", "laptop", "vpn", "wifi",
	"password", "phishing", "backup", "recovery", "testing", "automation", "ci", "deploy", "rollback",
	"monitoring", "alerts", "dashboard", "metrics", "analytics", "research", "experiment", "abtest",
	"pricing", "partners", "marketing", "brand", "social", "press", "event", "meetup", "workshop",
	"strategy", "vision", "values", "culture", "engagement", "recognition", "award", "milestone",
	"customerstory", "casestudy", "renewal", "churn", "nps", "csat", "tickets", "backlog", "sprint",
	"planning", "architecture", "refactoring", "techdebt", "opensource", "linux", "windows", "mac",
	"accessibility", "i18n", "translation", "localisation", "privacy", "ethics", "green", "energy",
};
/* words for the body of posts */
static const char *const words[] = {
	"the", "team", "shipped", "new", "build", "for", "our", "customers", "today", "and", "we", "are",
	"looking", "at", "next", "steps", "on", "project", "thanks", "to", "everyone", "who", "helped",
	"with", "review", "meeting", "notes", "from", "this", "morning", "please", "share", "your",
	"feedback", "by", "Friday", "quick", "update", "about", "plan", "release", "schedule", "moved",
	"one", "week", "because", "of", "testing", "results", "great", "work", "support", "queue", "is",
	"down", "again", "after", "fix", "in", "production", "dashboard", "shows", "latency", "improved",
	"a", "lot", "question", "does", "anyone", "know", "how", "configure", "access", "request",
	"approved", "budget", "draft", "proposal", "ready", "comments", "welcome", "workshop", "tomorrow",
	"room", "booked", "slides", "attached", "link", "in", "wiki", "reminder", "deadline", "approaching",
	"survey", "closes", "soon", "congratulations", "new", "colleagues", "joining", "month", "office",
	"closed", "holiday", "coverage", "rota", "customer", "call", "went", "well", "renewal", "signed",
	"incident", "resolved", "root", "cause", "analysis", "follows", "lessons", "learned", "documented",
	"small", "change", "big", "impact", "experiment", "data", "suggests", "users", "prefer", "simpler",
	"flow", "checkout", "onboarding", "guide", "updated", "training", "sessions", "recorded", "watch",
	"later", "coffee", "chat", "anyone", "interested", "mentoring", "programme", "open", "applications",
};
/* words of the people finder's free-text queries */
static const char *const finder_words[] = {
	"anna", "schmidt", "engineering", "support", "london", "berlin", "python", "kubernetes", "sales",
	"garcia", "data", "product", "design", "finance", "tokyo", "maria", "nguyen", "security", "legal",
	"marketing", "manager", "engineer", "analyst", "research", "elena", "okafor", "bangalore", "rust",
	"recruiting", "excel",
};

/* ---- the organisation in memory ------------------------------------------- */

enum { K_STAFF, K_GUEST };
enum { AUD_PUBLIC, AUD_ORG, AUD_FOLLOWERS, AUD_DIRECT, AUD_SPACE };
static const char *const aud_names[] = { "public", "organisation", "followers", "direct", "space" };

/* the special accounts, first in the table */
enum { SP_ALL, SP_CEO, SP_IT, SP_SOLO, SP_K1, SP_K20, SP_COUNT };

struct person {
	int64_t id;
	char username[31];
	char display[64];
	uint8_t kind;
	uint8_t dept;
	uint8_t loc;
	uint8_t nskills;
	uint8_t skill[8];     /* indexes into skills[] (answerers of questions) */
	double activity;      /* weight as an author */
};

static struct person *people;
static size_t npeople;
static size_t *staff_idx, nstaff;

/* spaces and their members, both ways (CSR arrays) */
struct space_info {
	int64_t id;
	uint8_t kind;          /* 0 internal, 1 external, 2 public */
	uint8_t purpose;       /* index into make_spaces()'s purposes[] */
	size_t first, count;   /* into space_member_list */
};
static struct space_info *spaces;
static size_t nspaces;
static uint32_t *space_member_list;      /* person indexes */
static size_t *acct_space_first, *acct_space_count;
static uint32_t *acct_space_list;        /* space indexes */

static const int64_t T_END = 1767225600000LL;            /* 2026-01-01 00:00 UTC */
static const int64_t SPAN = 365LL * 24 * 3600 * 1000;     /* posts over the year before */
static char base_url[256] = "http://127.0.0.1:8080";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "parley-bench-seed: %s\n", what);
	store_rollback();
	exit(1);
}

static void check(int rc, const char *what)
{
	if (rc != STORE_OK && rc != STORE_CONFLICT)
		die(what);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

/* an id made at time ms with a sequence (ids are time-sortable) */
static int64_t make_id(int64_t ms, uint64_t seq)
{
	return (ms << 16) | (int64_t)(seq & 0xffff);
}

/* ---- accounts, profiles, skills ------------------------------------------- */

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void make_people(size_t n, const char *password_hash_text)
{
	static const struct { const char *user, *display, *note; } special[SP_COUNT] = {
		{ "announcements", "All-staff announcements", "News for everyone in the organisation." },
		{ "ceo", "Chief Executive", "Running the show." },
		{ "itservice", "IT Service Desk", "Laptops, VPN, passwords: ask here." },
		{ "bench_solo", "Bench Solo", "An author nobody follows (benchmark)." },
		{ "bench_k1", "Bench Thousand", "An author with 1,000 followers (benchmark)." },
		{ "bench_k20", "Bench Twenty Thousand", "An author with 20,000 followers (benchmark)." },
	};
	double dw[N(departments)], lw[N(locations)];
	struct picker dp, lp;
	size_t i;

	for (i = 0; i < N(departments); i++)
		dw[i] = departments[i].w;
	for (i = 0; i < N(locations); i++)
		lw[i] = locations[i].w;
	picker_init(&dp, dw, N(departments));
	picker_init(&lp, lw, N(locations));
	people = xcalloc(n, sizeof *people);
	staff_idx = xcalloc(n, sizeof *staff_idx);
	npeople = n;
	for (i = 0; i < n; i++) {
		struct person *p = &people[i];
		struct account_row a;
		double r = unit();

		/* accounts made over the two years before the posts begin */
		p->id = make_id(T_END - SPAN - 2 * SPAN + (int64_t)(i * (uint64_t)(2 * SPAN) / n), i);
		if (i < SP_COUNT) {
			snprintf(p->username, sizeof p->username, "%s", special[i].user);
			snprintf(p->display, sizeof p->display, "%s", special[i].display);
		} else {
			const char *f = first_names[below(N(first_names))], *l = last_names[below(N(last_names))];

			snprintf(p->username, sizeof p->username, "%s_%s%zu", f, l, i);
			lower_ascii(p->username);
			snprintf(p->display, sizeof p->display, "%s %s", f, l);
		}
		/* 3% guests (customers, partners), never among the special accounts */
		p->kind = i >= SP_COUNT && unit() < 0.03 ? K_GUEST : K_STAFF;
		p->dept = (uint8_t)pick(&dp);
		p->loc = (uint8_t)pick(&lp);
		/* participation inequality: 1% heavy, 9% some, 90% rarely */
		p->activity = r < 0.01 ? 300.0 : r < 0.10 ? 10.0 : 0.5;
		if (i == SP_ALL || i == SP_CEO || i == SP_IT)
			p->activity = 10.0;
		else if (i == SP_SOLO || i == SP_K1 || i == SP_K20)
			p->activity = 0.5;
		if (p->kind == K_STAFF)
			staff_idx[nstaff++] = i;

		memset(&a, 0, sizeof a);
		a.id = p->id;
		snprintf(a.username, sizeof a.username, "%s", p->username);
		snprintf(a.email, sizeof a.email, "%s@example.org", p->username);
		snprintf(a.display_name, sizeof a.display_name, "%s", p->display);
		snprintf(a.note, sizeof a.note, "%s", i < SP_COUNT ? special[i].note : "");
		snprintf(a.kind, sizeof a.kind, "%s", p->kind == K_GUEST ? "guest" : "staff");
		a.is_admin = i == SP_IT;
		a.discoverable = 1;
		if (strlen(password_hash_text) >= sizeof a.password_hash)
			die("password hash too long");
		memcpy(a.password_hash, password_hash_text, strlen(password_hash_text) + 1);
		a.created_at = p->id >> 16;
		a.profile_public = unit() < 0.10;
		check(store_account_insert(&a), "account insert");
	}
	free(dp.cum);
	free(lp.cum);
}

static int64_t skill_id(size_t k)
{
	return make_id(T_END - 3 * SPAN, k + 1);
}

static void make_profiles(void)
{
	struct picker sk, ti;
	size_t *dept_seen[N(departments)], dept_n[N(departments)];
	size_t i, k;

	memset(dept_n, 0, sizeof dept_n);
	for (k = 0; k < N(departments); k++)
		dept_seen[k] = xcalloc(npeople, sizeof(size_t));
	for (k = 0; k < N(skills); k++) {
		struct skill_row s;

		memset(&s, 0, sizeof s);
		s.id = skill_id(k);
		snprintf(s.name, sizeof s.name, "%s", skills[k]);
		s.created_at = T_END - 3 * SPAN;
		check(store_skill_insert(&s), "skill insert");
	}
	zipf_init(&sk, N(skills), 0.9);
	zipf_init(&ti, N(titles), 0.6);
	for (i = 0; i < npeople; i++) {
		struct person *p = &people[i];
		struct profile_row pr;
		const char *langs[3];
		size_t nl = 0, ns, d = p->dept;
		int64_t chosen[8];

		memset(&pr, 0, sizeof pr);
		pr.account_id = p->id;
		snprintf(pr.text[PF_HEADLINE], sizeof pr.text[PF_HEADLINE], "%s",
			 p->kind == K_GUEST ? "Partner" : titles[pick(&ti)]);
		snprintf(pr.text[PF_DEPARTMENT], sizeof pr.text[PF_DEPARTMENT], "%s", departments[d].name);
		snprintf(pr.text[PF_TEAM], sizeof pr.text[PF_TEAM], "%s %c", departments[d].name,
			 (char)('A' + below(4)));
		snprintf(pr.text[PF_LOCATION], sizeof pr.text[PF_LOCATION], "%s", locations[p->loc].name);
		snprintf(pr.text[PF_TIMEZONE], sizeof pr.text[PF_TIMEZONE], "%s", locations[p->loc].tz);
		snprintf(pr.text[PF_WORKING_HOURS], sizeof pr.text[PF_WORKING_HOURS], "09:00-17:00");
		snprintf(pr.text[PF_EMAIL], sizeof pr.text[PF_EMAIL], "%s@example.org", p->username);
		pr.vis[PF_PHONE] = VIS_ORGANISATION;
		pr.vis[PF_EMAIL] = VIS_ORGANISATION;
		/* a reporting line: the first of a department reports to the CEO,
		 * the others to one of the first eighth of their department */
		if (i != SP_CEO && p->kind == K_STAFF) {
			if (!dept_n[d])
				pr.manager_id = people[SP_CEO].id;
			else
				pr.manager_id = people[dept_seen[d][below(dept_n[d] / 8 + 1)]].id;
			dept_seen[d][dept_n[d]++] = i;
		}
		pr.updated_at = p->id >> 16;
		check(store_profile_put(&pr), "profile");

		langs[nl++] = "English";
		if (locations[p->loc].tz[0] && unit() < 0.7)
			langs[nl++] = languages[1 + below(N(languages) - 1)];
		if (unit() < 0.2)
			langs[nl++] = languages[1 + below(N(languages) - 1)];
		if (nl == 3 && !strcmp(langs[1], langs[2]))
			nl = 2;
		check(store_profile_set_languages(p->id, langs, nl), "languages");

		/* 3 to 8 skills, Zipf over the list, with levels; endorsements by
		 * colleagues on about a third of them */
		ns = 3 + below(6);
		for (k = 0; k < ns; k++) {
			size_t s = pick(&sk), j;
			int dup = 0;

			for (j = 0; j < k; j++)
				dup |= chosen[j] == skill_id(s);
			chosen[k] = dup ? 0 : skill_id(s);
			if (dup)
				continue;
			p->skill[p->nskills++] = (uint8_t)s;
			check(store_profile_skill_put(p->id, skill_id(s), 1 + (int)below(3), pr.updated_at),
			      "profile skill");
			if (unit() < 0.33 && i > 0) {
				size_t e, ne = 1 + below(3);

				for (e = 0; e < ne; e++) {
					size_t by = below(i);

					if (by != i)
						check(store_endorsement_add(p->id, skill_id(s), people[by].id,
									    pr.updated_at), "endorsement");
				}
			}
		}
	}
	/* the search index and the facet copies, as the model writes them */
	for (i = 0; i < npeople; i++)
		if (people_reindex(people[i].id) != M_OK)
			die("people_reindex");
	for (k = 0; k < N(departments); k++)
		free(dept_seen[k]);
	free(sk.cum);
	free(ti.cum);
}

/* ---- follows -------------------------------------------------------------- */

static uint64_t follow_seq;

static void follow(size_t a, size_t b, int64_t t)
{
	check(store_follow_add(people[a].id, people[b].id,
			       make_id(t + (int64_t)(follow_seq >> 16), follow_seq), t), "follow");
	follow_seq++;
}

static void make_follows(void)
{
	double *w = xcalloc(npeople, sizeof *w);
	uint32_t *mark = xcalloc(npeople, sizeof *mark);
	struct picker pop;
	size_t i, j, k1 = 0, k20 = 0;
	size_t k20_target = nstaff - 1 < 20000 ? nstaff - 1 : 20000;
	int64_t t0 = T_END - SPAN - SPAN / 2;

	/* popularity: activity times a heavy-tailed personal factor; the
	 * special authors get their followers below, nobody else's */
	for (i = 0; i < npeople; i++)
		w[i] = people[i].kind == K_STAFF && i >= SP_COUNT ?
		       sqrt(people[i].activity) * lognormal(1.0, 1.2) : 0.0;
	picker_init(&pop, w, npeople);
	for (j = 0; j < nstaff; j++) {
		size_t f = staff_idx[j], n, tries;
		uint32_t stamp = (uint32_t)j + 1;

		mark[f] = stamp;
		/* everyone follows the three all-staff accounts */
		for (i = SP_ALL; i <= SP_IT; i++)
			if (f != i) {
				mark[i] = stamp;
				follow(f, i, t0);
			}
		/* the benchmark authors: k1 by 1,000, k20 by 20,000 (or all) */
		if (f != SP_K1 && k1 < 1000 && below(nstaff - j) < 1000 - k1) {
			follow(f, SP_K1, t0);
			k1++;
		}
		if (f != SP_K20 && k20 < k20_target && below(nstaff - j) < k20_target - k20) {
			follow(f, SP_K20, t0);
			k20++;
		}
		/* a log-normal number of others, median 50 */
		n = (size_t)lognormal(50.0, 1.0);
		if (n < 1)
			n = 1;
		if (n > 2000)
			n = 2000;
		if (n > nstaff / 2)
			n = nstaff / 2;
		for (i = 0, tries = 0; i < n && tries < 4 * n; tries++) {
			size_t b = pick(&pop);

			if (mark[b] == stamp)
				continue;
			mark[b] = stamp;
			follow(f, b, t0);
			i++;
		}
	}
	free(pop.cum);
	free(w);
	free(mark);
}

/* ---- spaces --------------------------------------------------------------- */

/* a space's purpose (the ones questions and ideas look for are named) */
static const char *const purposes[] = { "project", "team", "community", "support", "ideas", "other" };
enum { PU_COMMUNITY = 2, PU_SUPPORT = 3, PU_IDEAS = 4 };

static void make_spaces(void)
{
	static const char *const kinds[] = { "internal", "external", "public" };
	size_t nguests = npeople - nstaff, *guests = xcalloc(nguests + 1, sizeof *guests);
	size_t i, j, g = 0, total = 0, cap;
	uint32_t *mark = xcalloc(npeople, sizeof *mark);
	int64_t t0 = T_END - SPAN - SPAN / 4;

	for (i = 0; i < npeople; i++)
		if (people[i].kind == K_GUEST)
			guests[g++] = i;
	nspaces = npeople / 15 < 3 ? 3 : npeople / 15;
	spaces = xcalloc(nspaces, sizeof *spaces);
	cap = nspaces * 64;
	space_member_list = xcalloc(cap, sizeof *space_member_list);
	for (i = 0; i < nspaces; i++) {
		struct space_info *s = &spaces[i];
		struct space_row row;
		double r = unit();
		size_t size, maxsize = nstaff < 5000 ? nstaff : 5000;

		/* sizes 3..5,000: log-normal (median 15), and one all-hands space */
		size = i == 0 ? maxsize : (size_t)lognormal(15.0, 1.3);
		if (size < 3)
			size = 3;
		if (size > maxsize)
			size = maxsize;
		s->kind = i == 0 ? 0 : r < 0.65 ? 0 : r < 0.85 ? 1 : 2;
		s->id = make_id(t0 + (int64_t)i, i);
		memset(&row, 0, sizeof row);
		row.id = s->id;
		snprintf(row.handle, sizeof row.handle, i == 0 ? "allhands" : "space%zu", i);
		snprintf(row.name, sizeof row.name, i == 0 ? "All hands" : "%s %s %zu",
			 departments[i % N(departments)].name, purposes[i % N(purposes)], i);
		snprintf(row.description, sizeof row.description, "A %s space.", kinds[s->kind]);
		s->purpose = (uint8_t)below(N(purposes));
		snprintf(row.purpose, sizeof row.purpose, "%s", purposes[s->purpose]);
		snprintf(row.kind, sizeof row.kind, "%s", kinds[s->kind]);
		r = unit();
		snprintf(row.access, sizeof row.access, "%s", i == 0 || r < 0.6 ? "open" : r < 0.9 ? "closed" : "secret");
		snprintf(row.posting, sizeof row.posting, "everyone");
		row.created_at = row.updated_at = t0 + (int64_t)i;
		if (total + size + 16 > cap) {
			cap = (total + size + 16) * 2;
			space_member_list = realloc(space_member_list, cap * sizeof *space_member_list);
			if (!space_member_list)
				die("out of memory");
		}
		s->first = total;
		/* staff members, uniformly; external spaces also get guests */
		for (j = 0; s->count < size && j < 4 * size; j++) {
			size_t a = staff_idx[below(nstaff)];

			if (mark[a] == i + 1)
				continue;
			mark[a] = (uint32_t)i + 1;
			space_member_list[total + s->count++] = (uint32_t)a;
		}
		if (s->kind == 1 && nguests) {
			size_t ng = 1 + s->count / 10;

			for (j = 0; j < ng; j++) {
				size_t a = guests[below(nguests)];

				if (mark[a] == i + 1)
					continue;
				mark[a] = (uint32_t)i + 1;
				space_member_list[total + s->count++] = (uint32_t)a;
			}
		}
		row.created_by = people[space_member_list[total]].id;
		check(store_bench_space_insert(&row), "space insert");
		for (j = 0; j < s->count; j++) {
			struct space_member_row m;

			memset(&m, 0, sizeof m);
			m.space_id = s->id;
			m.account_id = people[space_member_list[total + j]].id;
			snprintf(m.role, sizeof m.role, "%s", j == 0 ? "owner" : j < 3 ? "moderator" : "member");
			snprintf(m.home, sizeof m.home, "all");
			m.joined_at = t0 + (int64_t)i;
			check(store_space_member_put(&m), "space member");
		}
		total += s->count;
	}
	/* the other direction: each person's spaces */
	acct_space_first = xcalloc(npeople + 1, sizeof *acct_space_first);
	acct_space_count = xcalloc(npeople, sizeof *acct_space_count);
	acct_space_list = xcalloc(total, sizeof *acct_space_list);
	for (i = 0; i < total; i++)
		acct_space_count[space_member_list[i]]++;
	for (i = 0, j = 0; i < npeople; i++) {
		acct_space_first[i] = j;
		j += acct_space_count[i];
		acct_space_count[i] = 0;
	}
	for (i = 0; i < nspaces; i++)
		for (j = 0; j < spaces[i].count; j++) {
			uint32_t a = space_member_list[spaces[i].first + j];

			acct_space_list[acct_space_first[a] + acct_space_count[a]++] = (uint32_t)i;
		}
	free(mark);
	free(guests);
}

/* ---- posts ---------------------------------------------------------------- */

struct recent {
	int64_t id;
	uint32_t author;
	uint8_t aud;
	int32_t space;    /* index into spaces, -1: none */
};

#define RING 8192

struct ring {
	struct recent r[RING];
	size_t n, next;
};

static void ring_add(struct ring *g, const struct recent *x)
{
	g->r[g->next] = *x;
	g->next = (g->next + 1) % RING;
	if (g->n < RING)
		g->n++;
}

/* a recent entry, favouring the newest (square of a uniform) */
static const struct recent *ring_pick(const struct ring *g)
{
	double u = unit();
	size_t back = (size_t)(u * u * (double)g->n);

	return &g->r[(g->next + RING - 1 - back) % RING];
}

static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, *s);
		}
	}
}

static void put_mention(struct buf *src, struct buf *html, const struct person *p)
{
	buf_printf(src, "@%s ", p->username);
	buf_puts(html, "<span class=\"h-card\"><a href=\"");
	put_escaped(html, base_url);
	buf_printf(html, "/@%s\" class=\"u-url mention\">@<span>%s</span></a></span> ", p->username, p->username);
}

static void put_hashtag(struct buf *src, struct buf *html, const char *tag)
{
	buf_printf(src, " #%s", tag);
	buf_puts(html, " <a href=\"");
	put_escaped(html, base_url);
	buf_printf(html, "/tags/%s\" class=\"mention hashtag\" rel=\"tag\">#<span>%s</span></a>", tag, tag);
}

/* one or two sentences of 6 to 18 words */
static void put_sentences(struct buf *src, struct buf *html)
{
	size_t s, ns = 1 + below(2);

	for (s = 0; s < ns; s++) {
		size_t w, nw = 6 + below(13);

		for (w = 0; w < nw; w++) {
			const char *word = words[below(N(words))];
			char first[32];

			if (s || w)
				buf_putc(src, ' '), buf_putc(html, ' ');
			if (!w) {
				snprintf(first, sizeof first, "%s", word);
				if (first[0] >= 'a' && first[0] <= 'z')
					first[0] = (char)(first[0] - 'a' + 'A');
				word = first;
			}
			buf_puts(src, word);
			put_escaped(html, word);
		}
		buf_putc(src, '.');
		buf_putc(html, '.');
	}
}

static int64_t tag_id(size_t k)
{
	return make_id(T_END - 3 * SPAN + 1000, k + 1);
}

static size_t random_staff(void)
{
	return staff_idx[below(nstaff)];
}

struct post_stats {
	uint64_t originals, replies, reblogs, favourites, space_posts, direct, tagged, mentioned;
	uint64_t by_aud[5];
};

static void extras_until(int64_t t);

static void make_posts(uint64_t nposts, struct post_stats *st)
{
	static struct ring repliable, reblogable;
	struct picker author, tagp;
	double *w = xcalloc(npeople, sizeof *w);
	struct buf src = BUF_INIT, html = BUF_INIT;
	uint64_t i, fav_seq = 0;
	size_t k;
	double t0 = now_s();

	for (k = 0; k < npeople; k++)
		w[k] = people[k].activity;
	picker_init(&author, w, npeople);
	zipf_init(&tagp, N(tags), 1.0);
	for (k = 0; k < N(tags); k++)
		check(store_bench_tag_insert(tag_id(k), tags[k], T_END - SPAN), "tag insert");

	for (i = 0; i < nposts; i++) {
		int64_t t = T_END - SPAN + (int64_t)((double)i * (double)SPAN / (double)nposts);
		struct post_row p;
		struct recent rec;
		int64_t mentions[4];
		size_t nm = 0, a, nf;
		double r = unit();
		int kind;   /* 0 original, 1 reply, 2 reblog */
		const struct recent *parent = NULL;

		/* the questions and ideas of before t first (id order) */
		extras_until(t);
		memset(&p, 0, sizeof p);
		p.id = make_id(t, i);
		p.created_at = t;
		snprintf(p.kind, sizeof p.kind, "note");
		snprintf(p.language, sizeof p.language, "en");
		buf_reset(&src);
		buf_reset(&html);
		kind = r < 0.10 && reblogable.n ? 2 : r < 0.40 && repliable.n ? 1 : 0;

		if (kind == 2) {
			parent = ring_pick(&reblogable);
			a = random_staff();
			if (a == parent->author)
				kind = 0;
		}
		if (kind == 1) {
			parent = ring_pick(&repliable);
			if (parent->space >= 0) {
				const struct space_info *s = &spaces[parent->space];

				a = space_member_list[s->first + below(s->count)];
			} else {
				do
					a = pick(&author);
				while (people[a].kind != K_STAFF);
			}
		}
		if (kind == 0) {
			a = pick(&author);
			/* guests write only in their (external) spaces */
			while (people[a].kind == K_GUEST && !acct_space_count[a])
				a = pick(&author);
		}
		p.account_id = people[a].id;
		rec.id = p.id;
		rec.author = (uint32_t)a;
		rec.space = -1;

		if (kind == 2) {
			snprintf(p.audience, sizeof p.audience, "%s", aud_names[parent->aud]);
			p.reblog_of_id = parent->id;
			p.title = p.source = p.content = p.spoiler_text = "";
			check(store_post_insert(&p), "reblog insert");
			st->reblogs++;
			st->by_aud[parent->aud]++;
			continue;
		}
		buf_puts(&html, "<p>");
		if (kind == 1) {
			rec.aud = parent->aud;
			rec.space = parent->space;
			p.in_reply_to_id = parent->id;
			p.in_reply_to_account_id = people[parent->author].id;
			if (parent->author != a) {
				put_mention(&src, &html, &people[parent->author]);
				mentions[nm++] = people[parent->author].id;
			}
			st->replies++;
		} else {
			double ra = unit();

			if (acct_space_count[a] && (people[a].kind == K_GUEST || unit() < 0.25)) {
				rec.aud = AUD_SPACE;
				rec.space = (int32_t)acct_space_list[acct_space_first[a] + below(acct_space_count[a])];
			} else {
				rec.aud = ra < 0.30 ? AUD_PUBLIC : ra < 0.87 ? AUD_ORG : ra < 0.95 ? AUD_FOLLOWERS : AUD_DIRECT;
			}
			/* a direct post names one or two people; 12% of others one */
			if (rec.aud == AUD_DIRECT || unit() < 0.12) {
				size_t m, n = rec.aud == AUD_DIRECT ? 1 + below(2) : 1;

				for (m = 0; m < n; m++) {
					size_t b = rec.space >= 0 ?
						space_member_list[spaces[rec.space].first + below(spaces[rec.space].count)] :
						random_staff();

					if (b == a || (nm && mentions[nm - 1] == people[b].id))
						continue;
					put_mention(&src, &html, &people[b]);
					mentions[nm++] = people[b].id;
				}
				if (rec.aud == AUD_DIRECT && !nm)
					rec.aud = AUD_FOLLOWERS;
				st->mentioned += nm > 0;
			}
			st->originals++;
		}
		put_sentences(&src, &html);
		/* 40% carry one to three hashtags (Zipf) */
		{
			int64_t tids[3];
			size_t nt = 0, j;

			if (unit() < 0.40) {
				size_t want = 1 + below(3);

				for (j = 0; j < want; j++) {
					size_t tk = pick(&tagp), q;
					int dup = 0;

					for (q = 0; q < nt; q++)
						dup |= tids[q] == tag_id(tk);
					if (dup)
						continue;
					tids[nt++] = tag_id(tk);
					put_hashtag(&src, &html, tags[tk]);
				}
				st->tagged++;
			}
			buf_puts(&html, "</p>");
			if (src.failed || html.failed)
				die("text too long");
			snprintf(p.audience, sizeof p.audience, "%s", aud_names[rec.aud]);
			p.space_id = rec.space >= 0 ? spaces[rec.space].id : 0;
			p.title = p.spoiler_text = "";
			p.source = (char *)buf_str(&src);
			p.content = (char *)buf_str(&html);
			check(store_post_insert(&p), "post insert");
			for (j = 0; j < nt; j++)
				check(store_bench_post_tag(p.id, tids[j]), "post tag");
		}
		if (nm)
			check(store_post_set_mentions(p.id, mentions, nm), "mentions");
		if (rec.aud == AUD_DIRECT) {
			size_t m;

			check(store_conversation_add_post(p.id, p.id), "conversation");
			check(store_conversation_touch(p.account_id, p.id, p.id, 0), "conversation");
			for (m = 0; m < nm; m++)
				check(store_conversation_touch(mentions[m], p.id, p.id, 1), "conversation");
			st->direct++;
		}
		st->space_posts += rec.aud == AUD_SPACE;
		st->by_aud[rec.aud]++;
		if (rec.aud == AUD_PUBLIC || rec.aud == AUD_ORG || rec.aud == AUD_SPACE)
			ring_add(&repliable, &rec);
		if ((rec.aud == AUD_PUBLIC || rec.aud == AUD_ORG) && kind == 0)
			ring_add(&reblogable, &rec);

		/* favourites: 0 to 3 (1.5 on average) on recent posts, by
		 * anyone who may read them */
		for (nf = (size_t)(rng() & 1) + (size_t)((rng() >> 1) & 1) + (size_t)((rng() >> 2) & 1); nf > 0; nf--) {
			const struct recent *target = ring_pick(&repliable);
			size_t by = target->space >= 0 ?
				    space_member_list[spaces[target->space].first + below(spaces[target->space].count)] :
				    random_staff();
			int rc;

			if (by == target->author)
				continue;
			rc = store_favourite_add(people[by].id, target->id, make_id(t, fav_seq++));
			check(rc, "favourite");
			st->favourites += rc == STORE_OK;
		}
		if ((i + 1) % 100000 == 0)
			fprintf(stderr, "  %llu posts, %.0f /s\n", (unsigned long long)(i + 1),
				(double)(i + 1) / (now_s() - t0));
	}
	buf_release(&src);
	buf_release(&html);
	free(author.cum);
	free(tagp.cum);
	free(w);
}

/* ---- questions, answers and ideas (issue 7) -------------------------------- */

/*
 * Written as the model writes them (model/question.c, model/idea.c), in
 * their final state: a question is an article post (title, Markdown body
 * rendered by the real renderer, its hashtags in post_tags) plus its
 * questions row and questions_fts row; an answer a reply to it (same
 * audience, the asker mentioned as post_create() does) plus its answers
 * row; an idea version an article post in the space plus idea_versions,
 * comments replies to a version. Counters (answer votes, idea votes,
 * replies) agree with the rows. Routing is left out: no queue items,
 * candidates or escalations, only the response target (4 hours, the
 * default policy) in target_ms and first_due_at, counted in wall time.
 *
 * Shapes: questions 2 % of the post count, 75 % in support and community
 * spaces (internal and external; weight the square root of the size,
 * guests asking half the time where there are some), 22 % organisation,
 * 3 % public; 1 to 3 hashtags, the first a skill (Zipf as profiles
 * draw them), the others a skill or a common tag; states 65 % answered
 * (half of them with an accepted answer: resolved), 25 % open, 10 %
 * closed; 1 to 4 answers (Zipf), by holders of the first tag's skill when
 * there are some among who may answer; first answer after a log-normal
 * delay (median 3 hours); answer votes log-normal (median under one, 90 %
 * up). Ideas 0.5 % of the post count on boards in a tenth of the spaces
 * (at least 3: the all-hands space's and others, "ideas" spaces five
 * times likelier), more on bigger boards; statuses 40 % new, 25 % under
 * review, 12 % planned, 8 % in progress, 8 % done, 7 % declined; 12 %
 * with a second version and 3 % a third; votes log-normal (median 2, a
 * few in the hundreds on big boards) by members; comments log-normal
 * (median 1).
 */

static const char *const q_nouns[] = {
	"the customer portal", "our monthly reporting", "the onboarding flow", "month-end close",
	"the release pipeline", "the warehouse system", "the CRM", "the mobile app", "expense claims",
	"the data platform", "the partner programme", "the support queue", "the intranet", "invoicing",
};
static const char *const q_code[] = {
	"git pull --rebase", "SELECT count(*) FROM orders", "kubectl get pods -n billing",
	"=VLOOKUP(A2, B:C, 2, FALSE)", "pip install -r requirements.txt", "ssh deploy@build-02",
	"terraform plan", "docker compose up -d",
};
static const char *const q_errors[] = {
	"ERR_CONNECTION_RESET", "403 Forbidden", "permission denied", "timeout after 30 s",
	"#N/A", "unknown host", "disk quota exceeded",
};
static const char *const idea_categories[] = {
	"Product", "Process", "Tools", "Workplace", "Customer experience", "Sustainability", "Learning", "",
};
static const char *const idea_notes[] = {
	"Added a cost estimate", "Narrowed the scope after the comments", "Split into two phases",
	"Added the numbers from the pilot", "Answered the questions raised in the comments",
};
/* idea statuses as model/idea.c names them, with their shares */
static const struct { const char *name; double w; const char *explanation; } idea_status[] = {
	{ "new", 40, "" }, { "under_review", 25, "" }, { "planned", 12, "Scheduled for next quarter." },
	{ "in_progress", 8, "Work has started: follow the project space for news." },
	{ "done", 8, "Shipped. Thanks to everyone who voted and commented." },
	{ "declined", 7, "Thanks for proposing it: it overlaps with work already planned elsewhere." },
};
static const char *const q_states[] = { "open", "answered", "resolved", "closed" };

/* the hashtag of each skill: its letters and digits in lower case ("CI/CD"
 * #cicd, "C++" #cpp, "C#" #csharp, ".NET" #dotnet); a common tag's id
 * when the post vocabulary has the same name */
static char skill_tag[N(skills)][32];
static int64_t skill_tag_id[N(skills)];

static void make_skill_tags(void)
{
	size_t k, j;

	for (k = 0; k < N(skills); k++) {
		const char *s = skills[k];
		size_t n = 0;

		if (*s == '.') {
			n = (size_t)snprintf(skill_tag[k], sizeof skill_tag[k], "dot");
			s++;
		}
		for (; *s && n + 6 < sizeof skill_tag[k]; s++) {
			if (*s == '+')
				n += (size_t)snprintf(skill_tag[k] + n, sizeof skill_tag[k] - n, "p");
			else if (*s == '#')
				n += (size_t)snprintf(skill_tag[k] + n, sizeof skill_tag[k] - n, "sharp");
			else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
				skill_tag[k][n++] = *s;
			else if (*s >= 'A' && *s <= 'Z')
				skill_tag[k][n++] = (char)(*s - 'A' + 'a');
		}
		skill_tag[k][n] = '\0';
		skill_tag_id[k] = 0;
		for (j = 0; j < N(tags) && !skill_tag_id[k]; j++)
			if (!strcmp(tags[j], skill_tag[k]))
				skill_tag_id[k] = tag_id(j);
		for (j = 0; j < k && !skill_tag_id[k]; j++)
			if (!strcmp(skill_tag[j], skill_tag[k]))
				skill_tag_id[k] = skill_tag_id[j];
		if (!skill_tag_id[k]) {
			skill_tag_id[k] = make_id(T_END - 3 * SPAN + 1500, k + 1);
			check(store_bench_tag_insert(skill_tag_id[k], skill_tag[k], T_END - SPAN), "skill tag");
		}
	}
}

/* ---- writing them among the posts ------------------------------------------
 *
 * make_posts() writes posts in id (time) order, so every index of posts
 * that follows time grows at its right edge, in pages the cache holds.
 * Questions, answers and idea posts are written the same way: planned
 * first (qi_plan: their times, in order), then each written when
 * make_posts() reaches its time (extras_until, called before each post),
 * the answers, later versions and comments they bring queued by time
 * (a heap). Written after all the posts instead, each landed in a page
 * in the middle of the year, once the database outgrows the page cache
 * (500,000 posts): 40 % slower for them, and a database 5 % bigger
 * (split pages), and the more so the bigger the database.
 *
 * Their ids are made at plan time (a question names its accepted answer,
 * an idea its newest version), at milliseconds no post of make_posts()
 * takes (free_ms), so no id can meet one written later.
 */

static uint64_t qi_rs[4];      /* the random stream of questions and ideas */
static int qi_on;              /* planned: make_posts() writes them */
static uint64_t g_nposts;
static uint64_t extra_seq = 0x8000;

/* the random numbers of questions and ideas in rs, the others aside
 * (called again: back) */
static void qi_swap(void)
{
	uint64_t t[4];

	memcpy(t, rs, sizeof t);
	memcpy(rs, qi_rs, sizeof t);
	memcpy(qi_rs, t, sizeof t);
}

/* t, or the next millisecond no post of make_posts() takes (post i at
 * T_END - SPAN + i * SPAN / nposts, computed as it does) */
static int64_t free_ms(int64_t t)
{
	for (;;) {
		double x = (double)(t - (T_END - SPAN)) * (double)g_nposts / (double)SPAN;
		int64_t j, taken = 0;

		for (j = (int64_t)x - 2; j <= (int64_t)x + 2; j++)
			if (j >= 0 && (uint64_t)j < g_nposts &&
			    T_END - SPAN + (int64_t)((double)j * (double)SPAN / (double)g_nposts) == t)
				taken = 1;
		if (!taken)
			return t;
		t++;
	}
}

/* an id for a post at *t (moved to a free millisecond) */
static int64_t extra_id(int64_t *t)
{
	*t = free_ms(*t);
	return make_id(*t, extra_seq++);
}

static void insert_extra_post(const struct post_row *p)
{
	int rc = store_post_insert(p);

	if (rc == STORE_CONFLICT)
		die("a question or idea post met a post of the same id");
	check(rc, "post insert");
}

/* what is written later: answers, idea versions after the first, comments */
enum { EV_ANSWER, EV_VERSION, EV_COMMENT };

struct event {
	int64_t id;                /* the post's id (its time in the high bits) */
	int64_t t;
	int64_t parent;            /* answer: the question; comment: the version's post */
	int64_t parent_author;     /* the asker, the idea's author */
	int64_t accepted_at;       /* answer: when accepted (0: not) */
	char *title;               /* version: the idea's title (owned) */
	uint32_t author;           /* index into people */
	int32_t space;             /* index into spaces, -1: none */
	uint8_t kind, aud;
};

static struct event *heap;
static size_t nheap, capheap;

static void heap_push(const struct event *e)
{
	size_t i;

	if (nheap == capheap) {
		capheap = capheap ? 2 * capheap : 1024;
		heap = realloc(heap, capheap * sizeof *heap);
		if (!heap)
			die("out of memory");
	}
	for (i = nheap++; i > 0 && heap[(i - 1) / 2].id > e->id; i = (i - 1) / 2)
		heap[i] = heap[(i - 1) / 2];
	heap[i] = *e;
}

static struct event heap_pop(void)
{
	struct event top = heap[0], last = heap[--nheap];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < nheap) {
		if (c + 1 < nheap && heap[c + 1].id < heap[c].id)
			c++;
		if (heap[c].id >= last.id)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (nheap)
		heap[i] = last;
	return top;
}

/* Markdown source sentences: ns sentences of 6 to 18 words */
static void md_sentences(struct buf *src, size_t ns)
{
	size_t s, w;

	for (s = 0; s < ns; s++) {
		size_t nw = 6 + below(13);

		for (w = 0; w < nw; w++) {
			const char *word = words[below(N(words))];

			if (s || w)
				buf_putc(src, ' ');
			if (!w && word[0] >= 'a' && word[0] <= 'z') {
				buf_putc(src, (char)(word[0] - 'a' + 'A'));
				word++;
			}
			buf_puts(src, word);
		}
		buf_putc(src, '.');
	}
}

static void md_list(struct buf *src, int ordered, size_t n)
{
	size_t i, w, nw;

	for (i = 0; i < n; i++) {
		if (ordered)
			buf_printf(src, "\n%zu. ", i + 1);
		else
			buf_puts(src, "\n- ");
		for (w = 0, nw = 3 + below(5); w < nw; w++)
			buf_printf(src, "%s%s", w ? " " : "", words[below(N(words))]);
	}
}

static struct buf md_src = BUF_INIT, md_html = BUF_INIT;
static struct markdown_refs md_refs;

/* md_src rendered into md_html and md_refs as the server renders a post
 * (post_create: an article when it has a title) */
static void md_render(int article)
{
	struct markdown_opts o;

	memset(&o, 0, sizeof o);
	o.base_url = base_url;
	o.article = article;
	buf_reset(&md_html);
	markdown_refs_release(&md_refs);
	if (md_src.failed || markdown_render(buf_str(&md_src), md_src.len, &o, &md_html, &md_refs) < 0 ||
	    md_html.failed)
		die("markdown render");
}

/* `delay` after `from`, but before the end of the year: half way from
 * `from` to the end when it would pass it (so what follows something
 * stays after it: an answer after the one before, a comment after its
 * version) */
static int64_t later(int64_t from, int64_t delay)
{
	int64_t end = T_END - 1000, t = from + delay;

	if (t < end)
		return t;
	t = from + (end - from) / 2;
	return t > from ? t : from + 1;
}

static int64_t delay_ms(double median_h, double sigma, double max_h)
{
	double h = lognormal(median_h, sigma);

	if (h < 1.0 / 30)
		h = 1.0 / 30;   /* two minutes */
	if (h > max_h)
		h = max_h;
	return (int64_t)(h * 3600000.0);
}

static size_t random_member(int32_t space)
{
	const struct space_info *s = &spaces[space];

	return space_member_list[s->first + below(s->count)];
}

/* a staff member of the space (one with a token), else any member */
static size_t staff_member(int32_t space)
{
	size_t a = random_member(space), tries;

	for (tries = 0; people[a].kind != K_STAFF && tries < 64; tries++)
		a = random_member(space);
	return a;
}

static int has_skill(size_t a, size_t skill)
{
	size_t k;

	for (k = 0; k < people[a].nskills; k++)
		if (people[a].skill[k] == skill)
			return 1;
	return 0;
}

/* the staff who hold each skill (CSR), for the answerers outside spaces */
static size_t *holder_first, *holder_count;
static uint32_t *holder_list;

static void index_skill_holders(void)
{
	size_t i, k, total = 0;

	holder_first = xcalloc(N(skills) + 1, sizeof *holder_first);
	holder_count = xcalloc(N(skills), sizeof *holder_count);
	for (i = 0; i < npeople; i++)
		if (people[i].kind == K_STAFF)
			for (k = 0; k < people[i].nskills; k++)
				holder_count[people[i].skill[k]]++, total++;
	holder_list = xcalloc(total, sizeof *holder_list);
	for (k = 0, total = 0; k < N(skills); k++) {
		holder_first[k] = total;
		total += holder_count[k];
		holder_count[k] = 0;
	}
	for (i = 0; i < npeople; i++)
		if (people[i].kind == K_STAFF)
			for (k = 0; k < people[i].nskills; k++) {
				size_t s = people[i].skill[k];

				holder_list[holder_first[s] + holder_count[s]++] = (uint32_t)i;
			}
}

/* Who answers a question on `skill` asked by `asker` (in space, or -1):
 * a holder of the skill when one is found among who may answer (members
 * of the space; staff outside spaces), else anyone of them; never the
 * asker nor one of the `n` answerers so far. */
static size_t pick_answerer(int32_t space, size_t skill, size_t asker, const size_t *so_far, size_t n)
{
	size_t tries, a = asker, k;

	for (tries = 0; tries < 48; tries++) {
		int dup = 0, want_skill = tries < 32;

		if (space >= 0)
			a = random_member(space);
		else if (want_skill && holder_count[skill] && unit() < 0.7)
			a = holder_list[holder_first[skill] + below(holder_count[skill])];
		else
			a = random_staff();
		for (k = 0; k < n; k++)
			dup |= so_far[k] == a;
		if (a == asker || dup)
			continue;
		if (!want_skill || space < 0 || has_skill(a, skill))
			return a;
	}
	return a;
}

struct qi_stats {
	uint64_t questions, by_state[4], in_space, public_q, answers, accepted, answer_votes;
	uint64_t boards, ideas, by_status[N(idea_status)], versions, comments, idea_votes, max_votes;
	double seconds;
};
static struct qi_stats qst;

/* what the load lists need (write_lists) */
struct qrec {
	int64_t id;
	int32_t space;    /* -1: none */
};
static struct qrec *qrecs;
static size_t nqrecs;
static int32_t *boards;
static size_t nboards;

/* the plan: when each question is asked (its state) and each idea
 * proposed (its status), in time order */
struct when {
	int64_t t;
	size_t state;
};
static struct when *qwhen, *iwhen;
static size_t nq, ni, qnext, inext;
static struct picker qp_skill, qp_tag, qp_space, qp_nans, qp_board, qp_status;
static double qp_space_w;

static int cmp_when(const void *a, const void *b)
{
	int64_t x = ((const struct when *)a)->t, y = ((const struct when *)b)->t;

	return x < y ? -1 : x > y;
}

static void question_title(char *t, size_t n, size_t skill)
{
	const char *s = skills[skill], *noun = q_nouns[below(N(q_nouns))];

	switch (below(8)) {
	case 0: snprintf(t, n, "How do I get started with %s?", s); break;
	case 1: snprintf(t, n, "What is the best way to use %s for %s?", s, noun); break;
	case 2: snprintf(t, n, "%s stopped working for %s after the update", s, noun); break;
	case 3: snprintf(t, n, "Who knows %s well enough to review %s?", s, noun); break;
	case 4: snprintf(t, n, "Is there a guide to %s for %s?", s, noun); break;
	case 5: snprintf(t, n, "Can we use %s for %s, or is there something better?", s, noun); break;
	case 6: snprintf(t, n, "Why is %s so slow in %s?", s, noun); break;
	default: snprintf(t, n, "Recommended training for %s?", s); break;
	}
}

/* A question at its time: its post, tags and row (in its final state:
 * the answers' times, authors and ids are chosen here), its answers
 * queued. */
static void ask_question(const struct when *wq)
{
	struct question_row q;
	struct post_row p;
	int64_t tids[3], asked = wq->t, at[4], ids[4];
	size_t nt = 0, j, k, asker, skill, state = wq->state, na = 0, who[4], accepted = 4;
	int32_t space = -1;
	double r = unit();
	int aud;

	/* where and by whom */
	if (qp_space_w > 0 && r < 0.75) {
		space = (int32_t)pick(&qp_space);
		aud = AUD_SPACE;
		asker = random_member(space);
		if (spaces[space].kind == 1 && unit() < 0.5)
			for (j = 0; j < 8 && people[asker].kind != K_GUEST; j++)
				asker = random_member(space);
		qst.in_space++;
	} else {
		aud = r < 0.97 ? AUD_ORG : AUD_PUBLIC;
		asker = random_staff();
		qst.public_q += aud == AUD_PUBLIC;
	}

	/* the text: title, sentences, maybe code or a list, hashtags */
	skill = pick(&qp_skill);
	memset(&q, 0, sizeof q);
	question_title(q.title, sizeof q.title, skill);
	buf_reset(&md_src);
	md_sentences(&md_src, 1 + below(2));
	switch (below(3)) {
	case 0:
		buf_printf(&md_src, "\n\nI tried `%s` but it answers `%s`.", q_code[below(N(q_code))],
			   q_errors[below(N(q_errors))]);
		break;
	case 1:
		buf_puts(&md_src, "\n\nWhat I did so far:\n");
		md_list(&md_src, 0, 2 + below(3));
		break;
	default:
		break;
	}
	buf_puts(&md_src, "\n\n");
	md_sentences(&md_src, 1);
	tids[nt++] = skill_tag_id[skill];
	buf_printf(&md_src, " #%s", skill_tag[skill]);
	snprintf(q.tags, sizeof q.tags, "%s", skill_tag[skill]);
	for (j = below(3); j > 0; j--) {
		const char *name;
		int64_t id;
		int dup = 0;

		if (unit() < 0.6) {
			size_t s2 = pick(&qp_skill);

			name = skill_tag[s2];
			id = skill_tag_id[s2];
		} else {
			size_t t2 = pick(&qp_tag);

			name = tags[t2];
			id = tag_id(t2);
		}
		for (k = 0; k < nt; k++)
			dup |= tids[k] == id;
		if (dup)
			continue;
		tids[nt++] = id;
		buf_printf(&md_src, " #%s", name);
		/* the question's tags: its hashtags, as ask_within() reads them */
		snprintf(q.tags + strlen(q.tags), sizeof q.tags - strlen(q.tags), " %s", name);
	}
	md_render(1);
	if (md_refs.ntags != nt)
		die("a question's hashtags were not all rendered as hashtags");

	memset(&p, 0, sizeof p);
	p.id = make_id(asked, extra_seq++);
	p.account_id = people[asker].id;
	snprintf(p.audience, sizeof p.audience, "%s", aud_names[aud]);
	p.space_id = space >= 0 ? spaces[space].id : 0;
	snprintf(p.kind, sizeof p.kind, "article");
	snprintf(p.language, sizeof p.language, "en");
	p.title = q.title;
	p.source = (char *)buf_str(&md_src);
	p.content = (char *)buf_str(&md_html);
	p.spoiler_text = "";
	p.created_at = asked;
	insert_extra_post(&p);
	for (k = 0; k < nt; k++)
		check(store_bench_post_tag(p.id, tids[k]), "question tag");

	q.post_id = p.id;
	q.space_id = p.space_id;
	q.account_id = p.account_id;
	q.asked_at = asked;
	snprintf(q.policy_mode, sizeof q.policy_mode, "suggest");
	q.target_ms = 4 * 3600000LL;
	q.first_due_at = asked + q.target_ms;
	snprintf(q.state, sizeof q.state, "%s", q_states[state]);
	/* answers: 1 to 4 (Zipf) when answered or resolved, 0 to 2 when closed */
	if (state == 1 || state == 2)
		na = 1 + pick(&qp_nans);
	else if (state == 3)
		na = unit() < 0.4 ? 1 + below(2) : 0;
	if (state == 2)
		accepted = unit() < 0.5 ? 0 : below(na);
	for (k = 0; k < na; k++) {
		at[k] = later(k ? at[k - 1] : asked, k ? delay_ms(6.0, 1.3, 96.0) : delay_ms(3.0, 1.3, 120.0));
		ids[k] = extra_id(&at[k]);
		who[k] = pick_answerer(space, skill, asker, who, k);
	}
	if (na) {
		q.first_answer_at = at[0];
		q.first_answer_by = people[who[0]].id;
	}
	if (accepted < na) {
		q.accepted_answer_id = ids[accepted];
		q.resolved_at = later(at[na - 1], delay_ms(20.0, 1.0, 72.0));
		qst.accepted++;
	}
	if (state == 3) {
		double cr = unit();

		q.closed_at = later(na ? at[na - 1] : asked, delay_ms(24.0, 1.0, 240.0));
		/* a duplicate of an earlier question in the same place */
		for (k = 0; cr < 0.4 && nqrecs && k < 16; k++) {
			const struct qrec *d = &qrecs[below(nqrecs)];

			if (d->space == space) {
				q.duplicate_of = d->id;
				break;
			}
		}
		snprintf(q.close_reason, sizeof q.close_reason, "%s",
			 q.duplicate_of ? "duplicate" : cr < 0.7 ? "out_of_scope" : "other");
		if (unit() < 0.3)
			snprintf(q.close_note, sizeof q.close_note, "%s",
				 q.duplicate_of ? "Answered in the older question." :
				 "Better asked in the team's own space.");
	}
	check(store_bench_question_insert(&q, p.source), "question");
	for (k = 0; k < na; k++) {
		struct event e;

		memset(&e, 0, sizeof e);
		e.kind = EV_ANSWER;
		e.id = ids[k];
		e.t = at[k];
		e.parent = q.post_id;
		e.parent_author = q.account_id;
		e.accepted_at = k == accepted ? q.resolved_at : 0;
		e.author = (uint32_t)who[k];
		e.space = space;
		e.aud = (uint8_t)aud;
		heap_push(&e);
	}
	qrecs[nqrecs].id = q.post_id;
	qrecs[nqrecs].space = space;
	nqrecs++;
	qst.answers += na;
	qst.by_state[state]++;
	qst.questions++;
}

/* An answer at its time: its post, its row and its votes (a log-normal
 * number, median under one, more on the accepted answer; 90 % up, by
 * readers of the question). */
static void write_answer(const struct event *e)
{
	struct post_row a;
	struct answer_row ar;
	size_t voters[40], nvot = 0, nv, v, tries;
	int val[40];
	int64_t mention = e->parent_author;
	double r = unit();

	buf_reset(&md_src);
	md_sentences(&md_src, 1 + below(2));
	if (r < 0.15) {
		buf_printf(&md_src, "\n\n```\n%s\n```", q_code[below(N(q_code))]);
	} else if (r < 0.30) {
		buf_puts(&md_src, "\n");
		md_list(&md_src, 1, 2 + below(3));
	}
	if (unit() < 0.15)
		buf_printf(&md_src, "\n\nSee https://wiki.example.org/kb/%llu for the details.",
			   (unsigned long long)(1000 + below(9000)));
	md_render(0);
	memset(&a, 0, sizeof a);
	a.id = e->id;
	a.account_id = people[e->author].id;
	snprintf(a.audience, sizeof a.audience, "%s", aud_names[e->aud]);
	a.space_id = e->space >= 0 ? spaces[e->space].id : 0;
	snprintf(a.kind, sizeof a.kind, "note");
	snprintf(a.language, sizeof a.language, "en");
	a.in_reply_to_id = e->parent;
	a.in_reply_to_account_id = e->parent_author;
	a.title = a.spoiler_text = "";
	a.source = (char *)buf_str(&md_src);
	a.content = (char *)buf_str(&md_html);
	a.created_at = e->t;
	insert_extra_post(&a);
	/* as post_create(): the parent's author is mentioned; links kept */
	check(store_post_set_mentions(a.id, &mention, 1), "answer mention");
	if (md_refs.nlinks)
		check(store_post_set_links(a.id, md_refs.links, md_refs.nlinks), "answer links");

	nv = (size_t)lognormal(0.8, 1.1) + (e->accepted_at ? 1 + below(3) : 0);
	if (nv > N(voters))
		nv = N(voters);
	memset(&ar, 0, sizeof ar);
	for (tries = 0; nvot < nv && tries < 4 * nv; tries++) {
		size_t b = e->space >= 0 ? random_member(e->space) : random_staff(), d;
		int dup = b == e->author;

		for (d = 0; d < nvot; d++)
			dup |= voters[d] == b;
		if (dup)
			continue;
		val[nvot] = unit() < 0.9 ? 1 : -1;
		ar.upvotes += val[nvot] > 0;
		ar.downvotes += val[nvot] < 0;
		voters[nvot++] = b;
	}
	ar.post_id = a.id;
	ar.question_id = e->parent;
	ar.account_id = a.account_id;
	ar.accepted_at = e->accepted_at;
	ar.created_at = e->t;
	check(store_bench_answer_insert(&ar), "answer");
	for (v = 0; v < nvot; v++)
		check(store_bench_answer_vote(a.id, people[voters[v]].id, val[v],
					      later(e->t, delay_ms(10.0, 1.2, 240.0))), "answer vote");
	qst.answer_votes += nvot;
}

static void idea_title(char *t, size_t n, size_t skill)
{
	const char *noun = q_nouns[below(N(q_nouns))];

	switch (below(6)) {
	case 0: snprintf(t, n, "Offer %s training to everyone", skills[skill]); break;
	case 1: snprintf(t, n, "Automate %s", noun); break;
	case 2: snprintf(t, n, "One shared dashboard for %s", noun); break;
	case 3: snprintf(t, n, "Simplify %s", noun); break;
	case 4: snprintf(t, n, "Use %s for %s", skills[skill], noun); break;
	default: snprintf(t, n, "A monthly open session on %s", skills[skill]); break;
	}
}

/* an idea version's post (a description), or a comment, at e's time */
static void write_idea_post(const struct event *e)
{
	struct post_row p;
	int version = e->kind == EV_VERSION;

	buf_reset(&md_src);
	md_sentences(&md_src, 1 + below(2));
	if (version && unit() < 0.5) {
		buf_puts(&md_src, "\n\nWhy it helps:\n");
		md_list(&md_src, 0, 2 + below(3));
		buf_puts(&md_src, "\n\n");
		md_sentences(&md_src, 1);
	}
	md_render(version);
	memset(&p, 0, sizeof p);
	p.id = e->id;
	p.account_id = people[e->author].id;
	snprintf(p.audience, sizeof p.audience, "space");
	p.space_id = spaces[e->space].id;
	snprintf(p.kind, sizeof p.kind, "%s", version ? "article" : "note");
	snprintf(p.language, sizeof p.language, "en");
	p.in_reply_to_id = e->parent;
	p.in_reply_to_account_id = e->parent ? e->parent_author : 0;
	p.title = version ? e->title : "";
	p.spoiler_text = "";
	p.source = (char *)buf_str(&md_src);
	p.content = (char *)buf_str(&md_html);
	p.created_at = e->t;
	insert_extra_post(&p);
	if (!version && e->parent_author != p.account_id) {
		int64_t mention = e->parent_author;

		check(store_post_set_mentions(p.id, &mention, 1), "comment mention");
	}
}

/* An idea at its time: its first version's post, its row (in its final
 * state), every version row, its votes; later versions and comments
 * queued. */
static void propose_idea(const struct when *wi)
{
	int32_t b = boards[pick(&qp_board)];
	const struct space_info *s = &spaces[b];
	size_t author = random_member(b), status = wi->state, nver, nv, nc, v, k;
	int64_t vt[3], vpost[3];
	struct idea_row row;
	struct event e;
	double r = unit();

	memset(&row, 0, sizeof row);
	idea_title(row.title, sizeof row.title, pick(&qp_skill));
	snprintf(row.category, sizeof row.category, "%s", idea_categories[below(N(idea_categories))]);
	/* 12 % get a second version, 3 % a third */
	nver = r < 0.03 ? 3 : r < 0.15 ? 2 : 1;
	vt[0] = wi->t;
	vpost[0] = make_id(vt[0], extra_seq++);
	for (v = 1; v < nver; v++) {
		vt[v] = later(vt[v - 1], delay_ms(24.0 * 5, 0.8, 24.0 * 30));
		vpost[v] = extra_id(&vt[v]);
	}
	memset(&e, 0, sizeof e);
	e.kind = EV_VERSION;
	e.id = vpost[0];
	e.t = vt[0];
	e.author = (uint32_t)author;
	e.space = b;
	e.title = row.title;
	write_idea_post(&e);
	for (v = 1; v < nver; v++) {
		e.id = vpost[v];
		e.t = vt[v];
		e.title = strdup(row.title);
		if (!e.title)
			die("out of memory");
		heap_push(&e);
	}

	row.id = vpost[0];
	row.space_id = s->id;
	row.account_id = people[author].id;
	snprintf(row.status, sizeof row.status, "%s", idea_status[status].name);
	row.current_post_id = vpost[nver - 1];
	row.version = (int)nver;
	row.created_at = vt[0];
	row.updated_at = vt[nver - 1];
	if (status) {
		/* by an owner or moderator of the space (its first members) */
		size_t by = space_member_list[s->first + below(s->count < 3 ? s->count : 3)];

		snprintf(row.status_explanation, sizeof row.status_explanation, "%s",
			 status == N(idea_status) - 1 || unit() < 0.5 ? idea_status[status].explanation : "");
		row.status_changed_at = later(vt[0], delay_ms(24.0 * 10, 1.0, 24.0 * 120));
		row.status_changed_by = people[by].id;
		if (row.status_changed_at > row.updated_at)
			row.updated_at = row.status_changed_at;
	}
	/* votes by members (not the author): log-normal, median 2, twice as
	 * many on ideas that went ahead */
	nv = (size_t)lognormal(2.0, 1.5);
	if (status >= 2 && status <= 4)
		nv *= 2;
	if (nv > s->count - 1)
		nv = s->count - 1;
	row.votes_count = (int64_t)nv;
	check(store_bench_idea_insert(&row), "idea");
	for (v = 0; v < nver; v++)
		check(store_bench_idea_version(row.id, (int)v + 1, vpost[v],
					       v ? idea_notes[below(N(idea_notes))] : "", vt[v]), "idea version");
	if (nv) {
		/* distinct voters: a partial shuffle of the members */
		static uint32_t *scratch;
		static size_t scap;
		size_t n = s->count, got = 0;

		if (n > scap) {
			scap = n;
			free(scratch);
			scratch = xcalloc(scap, sizeof *scratch);
		}
		memcpy(scratch, space_member_list + s->first, n * sizeof *scratch);
		for (k = 0; k < n && got < nv; k++) {
			size_t j = k + below(n - k);
			uint32_t x = scratch[j];

			scratch[j] = scratch[k];
			scratch[k] = x;
			if (x == author)
				continue;
			check(store_bench_idea_vote(row.id, people[x].id,
						    later(vt[0], delay_ms(48.0, 1.5, 24.0 * 120))), "idea vote");
			got++;
		}
		if (got != nv)
			die("idea votes");
	}
	/* comments: log-normal (median 1), replies to a version, by members */
	nc = (size_t)lognormal(1.0, 1.2);
	if (nc > 40)
		nc = 40;
	for (k = 0; k < nc; k++) {
		memset(&e, 0, sizeof e);
		v = below(nver);
		e.kind = EV_COMMENT;
		e.t = later(vt[v], delay_ms(24.0, 1.5, 24.0 * 60));
		e.id = extra_id(&e.t);
		e.parent = vpost[v];
		e.parent_author = row.account_id;
		e.author = (uint32_t)random_member(b);
		e.space = b;
		heap_push(&e);
	}
	qst.ideas++;
	qst.by_status[status]++;
	qst.versions += nver;
	qst.comments += nc;
	qst.idea_votes += nv;
	if (nv > qst.max_votes)
		qst.max_votes = nv;
}

/* Plan (before make_posts): the skill hashtags, the boards, when each
 * question and idea comes, from a random stream of their own (seeded
 * from `seed`), so the rows make_posts() writes and the tokens drawn
 * after are the same as before questions existed. */
static void qi_plan(uint64_t seed, uint64_t nposts)
{
	double t0 = now_s(), *w, sw[N(idea_status)];
	size_t i, tries, want = nspaces / 10 < 3 ? 3 : nspaces / 10;
	uint8_t *on = xcalloc(nspaces, 1);
	struct picker sp;
	uint64_t saved[4];

	if (nposts >= (uint64_t)SPAN / 4)
		die("too many posts for the questions' ids (one a millisecond at most)");
	memcpy(saved, rs, sizeof saved);
	rng_seed(seed ^ 0x7175657374696f6eull);    /* "question" */
	g_nposts = nposts;
	nq = nposts / 50;          /* questions: 2 % of the posts */
	ni = nposts / 200;         /* ideas: 0.5 % */
	make_skill_tags();
	index_skill_holders();
	zipf_init(&qp_skill, N(skills), 0.9);
	zipf_init(&qp_tag, N(tags), 1.0);
	zipf_init(&qp_nans, 4, 1.0);
	w = xcalloc(nspaces, sizeof *w);
	/* questions in spaces: support and community ones, internal and
	 * external, more in bigger ones (square root of the size) */
	for (i = 0; i < nspaces; i++) {
		w[i] = spaces[i].kind != 2 && (spaces[i].purpose == PU_SUPPORT || spaces[i].purpose == PU_COMMUNITY)
		       ? sqrt((double)spaces[i].count) : 0.0;
		qp_space_w += w[i];
	}
	picker_init(&qp_space, w, nspaces);
	/* the boards: a tenth of the spaces, the all-hands space's (the
	 * organisation's suggestion box) and others, "ideas" spaces five
	 * times likelier */
	if (want > nspaces)
		want = nspaces;
	for (i = 0; i < nspaces; i++)
		w[i] = spaces[i].purpose == PU_IDEAS ? 5.0 : 1.0;
	picker_init(&sp, w, nspaces);
	boards = xcalloc(want, sizeof *boards);
	for (tries = 0; nboards < want && tries < 100 * want; tries++) {
		size_t s = tries ? pick(&sp) : 0;

		if (on[s])
			continue;
		on[s] = 1;
		boards[nboards++] = (int32_t)s;
		check(store_space_set_ideas(spaces[s].id, 1), "ideas board");
	}
	qst.boards = nboards;
	/* more ideas on bigger boards, and some boards livelier than others */
	for (i = 0; i < nboards; i++)
		w[i] = sqrt((double)spaces[boards[i]].count) * lognormal(1.0, 0.8);
	picker_init(&qp_board, w, nboards ? nboards : 1);
	for (i = 0; i < N(idea_status); i++)
		sw[i] = idea_status[i].w;
	picker_init(&qp_status, sw, N(idea_status));

	/* states and times: questions 65 % answered (half of them resolved),
	 * 25 % open, 10 % closed; the answered and closed ones asked at
	 * least 30 days before the end, ideas 20 days */
	qwhen = xcalloc(nq ? nq : 1, sizeof *qwhen);
	for (i = 0; i < nq; i++) {
		double r = unit();

		qwhen[i].state = r < 0.325 ? 1 : r < 0.65 ? 2 : r < 0.90 ? 0 : 3;
		qwhen[i].t = free_ms(T_END - SPAN + (int64_t)below((uint64_t)(SPAN - (qwhen[i].state ? 30 : 1) *
									     86400000LL)));
	}
	qsort(qwhen, nq, sizeof *qwhen, cmp_when);
	iwhen = xcalloc(ni ? ni : 1, sizeof *iwhen);
	for (i = 0; i < ni && nboards; i++) {
		iwhen[i].state = pick(&qp_status);
		iwhen[i].t = free_ms(T_END - SPAN + (int64_t)below((uint64_t)(SPAN - 20 * 86400000LL)));
	}
	if (!nboards)
		ni = 0;
	qsort(iwhen, ni, sizeof *iwhen, cmp_when);
	qrecs = xcalloc(nq ? nq : 1, sizeof *qrecs);
	memset(&md_refs, 0, sizeof md_refs);
	free(sp.cum);
	free(on);
	free(w);
	memcpy(qi_rs, rs, sizeof saved);
	memcpy(rs, saved, sizeof saved);
	qi_on = 1;
	qst.seconds += now_s() - t0;
}

/* the time of the next question, idea or queued post; INT64_MAX: none */
static int64_t next_extra(int *which)
{
	int64_t t = INT64_MAX;

	*which = -1;
	if (qnext < nq && qwhen[qnext].t < t)
		t = qwhen[qnext].t, *which = 0;
	if (inext < ni && iwhen[inext].t < t)
		t = iwhen[inext].t, *which = 1;
	if (nheap && heap[0].t < t)
		t = heap[0].t, *which = 2;
	return t;
}

/* Write every question, idea and queued post of time up to `bound` (no
 * post of make_posts() shares a millisecond with them). */
static void extras_until(int64_t bound)
{
	double t0;
	int which;

	if (!qi_on || next_extra(&which) > bound)
		return;
	t0 = now_s();
	qi_swap();
	while (next_extra(&which) <= bound && which >= 0) {
		if (which == 0) {
			ask_question(&qwhen[qnext++]);
		} else if (which == 1) {
			propose_idea(&iwhen[inext++]);
		} else {
			struct event e = heap_pop();

			if (e.kind == EV_ANSWER)
				write_answer(&e);
			else
				write_idea_post(&e);
			free(e.title);
		}
	}
	qi_swap();
	qst.seconds += now_s() - t0;
}

/* after make_posts(): the rest, and the memory */
static void qi_finish(void)
{
	extras_until(INT64_MAX);
	qi_on = 0;
	markdown_refs_release(&md_refs);
	buf_release(&md_src);
	buf_release(&md_html);
	free(heap);
	free(qwhen);
	free(iwhen);
	free(qp_skill.cum);
	free(qp_tag.cum);
	free(qp_nans.cum);
	free(qp_space.cum);
	free(qp_board.cum);
	free(qp_status.cum);
}

/* ---- tokens and the files for the load scripts ------------------------------ */

static FILE *out_file(const char *dir, const char *name)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "parley-bench-seed: cannot write %s: %s\n", path, strerror(errno));
		store_rollback();
		exit(1);
	}
	return f;
}

/* each staff account's access token ("" for guests), for the lists */
static char (*tok)[48];

static void make_tokens(const char *out)
{
	struct app_row app;
	FILE *tf = out_file(out, "tokens.txt"), *af = out_file(out, "authors.txt");

	tok = xcalloc(npeople, sizeof *tok);
	size_t i;

	memset(&app, 0, sizeof app);
	app.id = make_id(T_END - 3 * SPAN + 2000, 1);
	snprintf(app.name, sizeof app.name, "parley-bench");
	snprintf(app.redirect_uris, sizeof app.redirect_uris, "urn:ietf:wg:oauth:2.0:oob");
	snprintf(app.scopes, sizeof app.scopes, "read write follow push");
	snprintf(app.client_id, sizeof app.client_id, "parley-bench");
	secret_hash("parley-bench-secret", app.secret_hash, sizeof app.secret_hash);
	app.created_at = T_END - 3 * SPAN;
	check(store_app_insert(&app), "app insert");
	for (i = 0; i < npeople; i++) {
		struct token_row t;

		if (people[i].kind != K_STAFF)
			continue;
		/* reproducible from the seed, never a real secret */
		snprintf(tok[i], sizeof tok[i], "pb_%016llx%016llx", (unsigned long long)rng(),
			 (unsigned long long)rng());
		memset(&t, 0, sizeof t);
		/* time + i / 65536 ms: unique past 65,536 accounts (size L) */
		t.id = make_id(T_END - 3 * SPAN + 3000 + (int64_t)(i >> 16), i);
		t.app_id = app.id;
		t.account_id = people[i].id;
		secret_hash(tok[i], t.token_hash, sizeof t.token_hash);
		snprintf(t.scopes, sizeof t.scopes, "read write follow push");
		t.created_at = T_END - 3 * SPAN;
		check(store_token_insert(&t), "token insert");
		if (i >= SP_COUNT)
			fprintf(tf, "%s\n", tok[i]);
	}
	fprintf(af, "all %s\nsolo %s\nk1 %s\nk20 %s\nceo %s\n", tok[SP_ALL], tok[SP_SOLO], tok[SP_K1],
		tok[SP_K20], tok[SP_CEO]);
	fclose(tf);
	fclose(af);
}

static void write_thread(int64_t id, void *ctx)
{
	fprintf(ctx, "%lld\n", (long long)id);
}

/* questions.txt: up to 2,000 questions spread over all, each with the
 * token of a reader (a staff member of its space; any staff member for
 * the others); boards.txt: each idea board's space id with the tokens of
 * three staff members of the space. "ID TOKEN" a line. */
static void write_qi_lists(const char *out)
{
	FILE *f = out_file(out, "questions.txt");
	size_t k, step = nqrecs > 2000 ? nqrecs / 2000 : 1, n, j;

	for (k = 0, n = 0; k < nqrecs && n < 2000; k += step, n++) {
		size_t reader = qrecs[k].space >= 0 ? staff_member(qrecs[k].space) : random_staff();

		if (tok[reader][0])
			fprintf(f, "%lld %s\n", (long long)qrecs[k].id, tok[reader]);
	}
	fclose(f);
	f = out_file(out, "boards.txt");
	for (k = 0; k < nboards; k++) {
		size_t readers[3], tries;

		for (j = 0, tries = 0; j < 3 && tries < 24; tries++) {
			size_t reader = staff_member(boards[k]), d;
			int dup = 0;

			for (d = 0; d < j; d++)
				dup |= readers[d] == reader;
			if (dup || !tok[reader][0])
				continue;
			readers[j++] = reader;
			fprintf(f, "%lld %s\n", (long long)spaces[boards[k]].id, tok[reader]);
		}
	}
	fclose(f);
}

static void write_lists(const char *out)
{
	FILE *f = out_file(out, "threads.txt");
	size_t k;

	if (store_bench_sample_threads(2000, write_thread, f) != STORE_OK)
		die("sample threads");
	fclose(f);
	f = out_file(out, "tags.txt");
	for (k = 0; k < 20; k++)
		fprintf(f, "%s\n", tags[k]);
	fclose(f);
	f = out_file(out, "people_q.txt");
	for (k = 0; k < N(finder_words); k++)
		fprintf(f, "%s\n", finder_words[k]);
	fclose(f);
	f = out_file(out, "people_knows.txt");
	for (k = 0; k < 40; k++) {
		const char *s;

		/* URL-safe: spaces as %20, '/' and '+' and '#' encoded */
		for (s = skills[k]; *s; s++) {
			if (*s == ' ')
				fputs("%20", f);
			else if (*s == '/')
				fputs("%2F", f);
			else if (*s == '+')
				fputs("%2B", f);
			else if (*s == '#')
				fputs("%23", f);
			else
				fputc(*s, f);
		}
		fputc('\n', f);
	}
	fclose(f);
	write_qi_lists(out);
}

/* ---- main ----------------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: parley-bench-seed --size S|M|L --data DIR [--seed N] [--out DIR]\n"
	      "                         [--people N] [--posts N] [--base-url URL]\n", stderr);
	exit(2);
}

static uint64_t num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || end == s)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	const char *data = NULL, *out = NULL, *size = "S";
	uint64_t seed = 1, np = 0, nposts = 0;
	char err[512], hash[256], path[1200];
	struct post_stats st;
	double t[8];
	struct stat sb;
	FILE *f;
	int i;

	if (argc == 2 && !strcmp(argv[1], "--generator-version")) {
		/* what this generator writes (the cache key with the schema) */
		printf("%d\n", GENERATOR_VERSION);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--schema-version")) {
		/* the newest migration this build knows (the cache key) */
		printf("%d\n", store_schema_latest());
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--size"))
			size = argv[++i];
		else if (!strcmp(argv[i], "--seed"))
			seed = num(argv[++i]);
		else if (!strcmp(argv[i], "--data"))
			data = argv[++i];
		else if (!strcmp(argv[i], "--out"))
			out = argv[++i];
		else if (!strcmp(argv[i], "--people"))
			np = num(argv[++i]);
		else if (!strcmp(argv[i], "--posts"))
			nposts = num(argv[++i]);
		else if (!strcmp(argv[i], "--base-url"))
			snprintf(base_url, sizeof base_url, "%s", argv[++i]);
		else
			usage();
	}
	if (!data)
		usage();
	if (!strcmp(size, "S")) {
		np = np ? np : 1000;
		nposts = nposts ? nposts : 50000;
	} else if (!strcmp(size, "M")) {
		np = np ? np : 20000;
		nposts = nposts ? nposts : 1000000;
	} else if (!strcmp(size, "L")) {
		np = np ? np : 200000;
		nposts = nposts ? nposts : 10000000;
	} else {
		usage();
	}
	if (np < 50 || np > 4000000)
		die("--people must be between 50 and 4,000,000");
	if (!out)
		out = data;
	snprintf(path, sizeof path, "%s/parley.db", data);
	if (stat(path, &sb) == 0)
		die("the data directory already holds a database: seed into a new one");

	log_set_level(LOG_WARN);
	if (secret_init() < 0)
		die("libsodium did not initialise");
	if (store_open(data, err, sizeof err) < 0)
		die(err);
	rng_seed(seed);
	t[0] = now_s();
	if (password_hash("bench password 2026", hash, sizeof hash) < 0)
		die("password hash");
	if (store_bench_bulk_begin(512) != STORE_OK || store_begin() != STORE_OK)
		die("bulk mode");

	fprintf(stderr, "seeding size %s (seed %llu): %llu people, %llu posts into %s\n", size,
		(unsigned long long)seed, (unsigned long long)np, (unsigned long long)nposts, data);
	make_people((size_t)np, hash);
	t[1] = now_s();
	make_profiles();
	t[2] = now_s();
	fprintf(stderr, "  people and profiles %.1f s\n", t[2] - t[0]);
	make_follows();
	t[3] = now_s();
	fprintf(stderr, "  follows %.1f s\n", t[3] - t[2]);
	make_spaces();
	t[4] = now_s();
	memset(&st, 0, sizeof st);
	/* questions, answers and ideas: planned now, written among the posts */
	qi_plan(seed, nposts);
	make_posts(nposts, &st);
	qi_finish();
	t[5] = now_s();
	fprintf(stderr, "  posts %.1f s (%.0f /s)\n", t[5] - t[4] - qst.seconds,
		(double)nposts / (t[5] - t[4] - qst.seconds));
	fprintf(stderr, "  questions %llu (open %llu, answered %llu, resolved %llu, closed %llu), %llu answers,"
		" %llu answer votes; ideas %llu on %llu boards (%llu versions, %llu comments, %llu votes,"
		" at most %llu): %.1f s\n", (unsigned long long)qst.questions, (unsigned long long)qst.by_state[0],
		(unsigned long long)qst.by_state[1], (unsigned long long)qst.by_state[2],
		(unsigned long long)qst.by_state[3], (unsigned long long)qst.answers,
		(unsigned long long)qst.answer_votes, (unsigned long long)qst.ideas, (unsigned long long)qst.boards,
		(unsigned long long)qst.versions, (unsigned long long)qst.comments, (unsigned long long)qst.idea_votes,
		(unsigned long long)qst.max_votes, qst.seconds);
	make_tokens(out);
	write_lists(out);
	if (store_commit() != STORE_OK)
		die("commit");
	if (store_bench_bulk_end() != STORE_OK)
		die("back to WAL");
	t[6] = now_s();

	f = out_file(out, "seed.json");
	fprintf(f, "{\n  \"size\": \"%s\", \"seed\": %llu, \"schema\": %d,\n"
		"  \"people\": %llu, \"posts\": %llu,\n", size, (unsigned long long)seed,
		store_schema_latest(), (unsigned long long)np, (unsigned long long)nposts);
	fprintf(f, "  \"rows\": {");
	{
		static const char *const tables[] = { "accounts", "posts", "follows", "favourites", "mentions",
			"post_tags", "spaces", "space_members", "profile_skills", "endorsements", "people_fts",
			"oauth_tokens", "questions", "questions_fts", "answers", "answer_votes", "ideas",
			"idea_versions", "idea_votes" };
		size_t k;

		for (k = 0; k < N(tables); k++)
			fprintf(f, "%s\"%s\": %lld", k ? ", " : "", tables[k], (long long)store_bench_count(tables[k]));
	}
	fprintf(f, "},\n  \"posts_by_kind\": {\"original\": %llu, \"reply\": %llu, \"reblog\": %llu},\n",
		(unsigned long long)st.originals, (unsigned long long)st.replies, (unsigned long long)st.reblogs);
	fprintf(f, "  \"posts_by_audience\": {\"public\": %llu, \"organisation\": %llu, \"followers\": %llu,"
		" \"direct\": %llu, \"space\": %llu},\n", (unsigned long long)st.by_aud[0],
		(unsigned long long)st.by_aud[1], (unsigned long long)st.by_aud[2],
		(unsigned long long)st.by_aud[3], (unsigned long long)st.by_aud[4]);
	fprintf(f, "  \"questions_by_state\": {\"open\": %llu, \"answered\": %llu, \"resolved\": %llu,"
		" \"closed\": %llu}, \"questions_in_spaces\": %llu, \"questions_public\": %llu,\n",
		(unsigned long long)qst.by_state[0], (unsigned long long)qst.by_state[1],
		(unsigned long long)qst.by_state[2], (unsigned long long)qst.by_state[3],
		(unsigned long long)qst.in_space, (unsigned long long)qst.public_q);
	fprintf(f, "  \"ideas_by_status\": {");
	for (i = 0; i < (int)N(idea_status); i++)
		fprintf(f, "%s\"%s\": %llu", i ? ", " : "", idea_status[i].name, (unsigned long long)qst.by_status[i]);
	fprintf(f, "}, \"idea_boards\": %llu, \"idea_comments\": %llu, \"most_idea_votes\": %llu,\n",
		(unsigned long long)qst.boards, (unsigned long long)qst.comments, (unsigned long long)qst.max_votes);
	fprintf(f, "  \"staff\": %zu, \"guests\": %zu, \"spaces\": %zu, \"largest_space\": %zu,\n",
		nstaff, npeople - nstaff, nspaces, spaces[0].count);
	fprintf(f, "  \"seconds\": {\"people_profiles\": %.1f, \"follows\": %.1f, \"spaces\": %.1f,"
		" \"posts\": %.1f, \"questions_ideas\": %.1f, \"tokens_commit\": %.1f, \"total\": %.1f}\n}\n",
		t[2] - t[0], t[3] - t[2], t[4] - t[3], t[5] - t[4] - qst.seconds, qst.seconds, t[6] - t[5],
		t[6] - t[0]);
	fclose(f);
	fprintf(stderr, "done in %.1f s\n", t[6] - t[0]);
	store_close();
	return 0;
}
