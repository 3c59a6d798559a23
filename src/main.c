/*
 * main.c - the parley command line.
 *
 *   parley [--data DIR] serve [--listen ADDR:PORT] [--base-url URL]
 *   parley [--data DIR] init
 *   parley [--data DIR] admin create-user NAME --email ADDR --role ROLE
 *   parley [--data DIR] admin set-role NAME ROLE
 *   parley [--data DIR] admin reset-password NAME
 *   parley [--data DIR] admin suspend NAME | unsuspend NAME
 *   parley [--data DIR] backup FILE
 *   parley [--data DIR] import people FILE.csv [--dry-run]
 *
 * Passwords are read from standard input (one line), never from the
 * command line, where other users could see them in the process list.
 *
 * Serving: the main thread blocks SIGINT and SIGTERM before any worker
 * thread exists (so the workers inherit the mask), starts the server, and
 * waits for one of them with sigwait(); then it stops the server
 * gracefully, closes the database and exits 0.
 */
#include "api/api.h"
#include "http/server.h"
#include "lib/config.h"
#include "jobs/jobs.h"
#include "model/idea.h"
#include "model/events.h"
#include "model/post.h"
#include "model/listening.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "model/account.h"
#include "model/events.h"
#include "model/media.h"
#include "model/people.h"
#include "model/people_import.h"
#include "model/routing.h"
#include "store/store.h"
#include "web/web.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lib/version.h"

static const char usage[] =
	"usage: parley [--data DIR] <command> [options]\n"
	"\n"
	"Parley is a self-hosted professional social network for organisations.\n"
	"\n"
	"Commands:\n"
	"  serve [--listen ADDR:PORT] [--base-url URL]\n"
	"                      serve the web UI and the APIs (default 127.0.0.1:8080)\n"
	"  init                create the data directory and database, then exit\n"
	"  admin create-user NAME --email ADDR --role admin|moderator|staff|guest\n"
	"                      [--display-name TEXT]   (password read from standard input)\n"
	"  admin set-role NAME admin|moderator|staff|guest\n"
	"  admin reset-password NAME                   (password read from standard input)\n"
	"  admin suspend NAME | admin unsuspend NAME\n"
	"  backup FILE         copy the database to FILE, consistently, while it runs\n"
	"  import people FILE.csv [--dry-run]\n"
	"                      create or update staff from an HR export (see README.md)\n"
	"  --help, --version\n"
	"\n"
	"Options (flags win over environment variables, which win over DIR/parley.conf):\n"
	"  --data DIR          data directory, holding parley.db    PARLEY_DATA (default ./var)\n"
	"  --listen ADDR:PORT  address to serve on                  PARLEY_LISTEN\n"
	"  --base-url URL      public URL of this instance          PARLEY_BASE_URL\n"
	"Other settings (file keys, environment): max_body PARLEY_MAX_BODY, max_upload\n"
	"PARLEY_MAX_UPLOAD, threads PARLEY_THREADS, max_connections PARLEY_MAX_CONNECTIONS,\n"
	"timeout PARLEY_TIMEOUT, instance_name PARLEY_INSTANCE_NAME, log_level\n"
	"PARLEY_LOG_LEVEL, max_streams PARLEY_MAX_STREAMS, stream_heartbeat\n"
	"PARLEY_STREAM_HEARTBEAT, post_max_chars, article_max_chars, poll_max_options,\n"
	"reactions, api_rate_limit, api_rate_window, profile_image_max, working_hours,\n"
	"working_days, timezone, routing_min_target, idea_vote_limit, idea_new_account_hours\n"
	"(PARLEY_ + the key in capitals). See README.md.\n";

static int die(const char *msg)
{
	fprintf(stderr, "parley: %s\n", msg);
	return 1;
}

/* Read one line (the password) from stdin, without echo on a terminal. */
static int read_password(char *out, size_t n)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t len;

	if (tty) {
		fprintf(stderr, "Password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (!fgets(out, (int)n, stdin))
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fprintf(stderr, "\n");
	}
	len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return len ? 0 : -1;
}

static int open_store(const struct config *c)
{
	char err[512] = "";

	if (secret_init() < 0)
		return die("cannot initialise libsodium");
	if (store_open(c->data_dir, err, sizeof err) < 0)
		return die(err);
	return 0;
}

static int cmd_serve(struct config *c, int argc, char **argv)
{
	char err[512] = "";
	sigset_t set;
	int i, sig;

	if (config_load_file(c, err, sizeof err) < 0 || config_load_env(c, err, sizeof err) < 0)
		return die(err);
	for (i = 0; i < argc; i++) {
		const char *key = NULL;

		if (!strcmp(argv[i], "--listen"))
			key = "listen";
		else if (!strcmp(argv[i], "--base-url"))
			key = "base_url";
		else
			return die("serve: unknown option (see parley --help)");
		if (i + 1 >= argc)
			return die("serve: option needs a value");
		if (config_set(c, key, argv[++i], err, sizeof err) < 0)
			return die(err);
	}
	config_finish(c);
	log_set_level((enum log_level)c->log_level);

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (open_store(c))
		return 1;
	if (media_init(c->data_dir, c->max_upload, err, sizeof err) < 0) {
		store_close();
		return die(err);
	}
	{
		struct people_settings pps = { c->base_url, c->profile_image_max, c->data_dir };

		if (people_configure(&pps, err, sizeof err) < 0) {
			store_close();
			return die(err);
		}
	}
	{
		struct post_settings ps = { c->base_url, (size_t)c->post_max_chars,
					    (size_t)c->article_max_chars, (size_t)c->poll_max_options,
					    c->reactions };

		post_configure(&ps);
	}
	{
		struct idea_settings is = { c->idea_vote_limit, c->idea_new_account_hours };

		idea_configure(&is);
	}
	jobs_register("poll.end", poll_end_job);
	jobs_register("listen.post", listening_post_job);
	{
		struct routing_settings rts = { c->working_hours, c->working_days, c->timezone,
						c->routing_min_target };

		if (routing_configure(&rts, err, sizeof err) < 0) {
			store_close();
			return die(err);
		}
		jobs_register("question.route", routing_route_job);
		jobs_register("question.escalate", routing_escalate_job);
	}
	jobs_register("ideas.rings", idea_rings_job);
	if (jobs_start() < 0) {
		store_close();
		return die("cannot start the job worker thread");
	}
	api_routes();
	web_routes();
	/* the routes have subscribed to the event bus: start it */
	if (events_start() < 0) {
		jobs_stop();
		store_close();
		return die("cannot start the event dispatcher thread");
	}
	if (server_start(c, err, sizeof err) < 0) {
		jobs_stop();
		events_stop();
		store_close();
		return die(err);
	}
	log_info("parley %s serving %s on %s (data in %s)", PARLEY_VERSION, c->base_url,
		 c->listen, c->data_dir);
	if (store_account_count() == 0)
		log_info("no account yet: open %s/setup in a browser to create the administrator",
			 c->base_url);
	if (sigwait(&set, &sig) != 0)
		sig = SIGTERM;
	log_info("received %s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	server_stop(3500);
	jobs_stop();
	events_stop(); /* after the handlers that publish, before the store its subscribers read */
	store_close();
	log_info("stopped");
	return 0;
}

static int cmd_admin(struct config *c, int argc, char **argv)
{
	char err[512] = "", password[1100];
	struct account_row a;
	enum account_role role;
	enum mresult r;

	if (argc < 2)
		return die("admin: expected a subcommand and a username (see parley --help)");
	if (open_store(c))
		return 1;
	if (!strcmp(argv[0], "create-user")) {
		struct account_new n = { argv[1], NULL, NULL, password, ROLE_STAFF };
		const char *role_name = "staff";
		int i;

		for (i = 2; i < argc; i++) {
			if (i + 1 >= argc)
				return die("admin create-user: option needs a value");
			if (!strcmp(argv[i], "--email"))
				n.email = argv[++i];
			else if (!strcmp(argv[i], "--role"))
				role_name = argv[++i];
			else if (!strcmp(argv[i], "--display-name"))
				n.display_name = argv[++i];
			else
				return die("admin create-user: unknown option");
		}
		if (!n.email)
			return die("admin create-user: --email is required");
		if (account_role_parse(role_name, &n.role) < 0)
			return die("admin create-user: --role must be admin, moderator, staff or guest");
		if (read_password(password, sizeof password) < 0)
			return die("admin create-user: no password on standard input");
		r = account_create(&n, &a, err, sizeof err);
		if (r != M_OK)
			return die(err);
		printf("created %s (%s) id %lld\n", a.username, account_role_name(&a), (long long)a.id);
		return 0;
	}
	if (account_find(argv[1], &a) != M_OK)
		return die("no such account");
	if (!strcmp(argv[0], "set-role")) {
		if (argc < 3 || account_role_parse(argv[2], &role) < 0)
			return die("admin set-role: role must be admin, moderator, staff or guest");
		r = account_set_role(a.id, role, err, sizeof err);
	} else if (!strcmp(argv[0], "reset-password")) {
		if (read_password(password, sizeof password) < 0)
			return die("admin reset-password: no password on standard input");
		r = account_set_password(a.id, password, 0, err, sizeof err);
	} else if (!strcmp(argv[0], "suspend") || !strcmp(argv[0], "unsuspend")) {
		r = account_set_suspended(a.id, argv[0][0] == 's', err, sizeof err);
	} else {
		return die("admin: unknown subcommand (see parley --help)");
	}
	if (r != M_OK)
		return die(err);
	printf("%s: done\n", a.username);
	return 0;
}

/* parley import people FILE.csv [--dry-run]: the model does the work
 * (model/people_import.h); this prints its report. */
static int cmd_import(struct config *c, int argc, char **argv)
{
	struct import_report rep;
	struct buf data;
	char err[512] = "";
	size_t i;
	int dry = argc >= 3 && !strcmp(argv[2], "--dry-run");
	FILE *f;

	if (argc < 2 || strcmp(argv[0], "people") || (argc >= 3 && !dry))
		return die("import: expected \"import people FILE.csv [--dry-run]\"");
	f = fopen(argv[1], "rb");
	if (!f)
		return die("import: cannot open the file");
	buf_init(&data, 256u << 20);
	for (;;) {
		char chunk[65536];
		size_t n = fread(chunk, 1, sizeof chunk, f);

		if (n && buf_append(&data, chunk, n) < 0)
			break;
		if (n < sizeof chunk)
			break;
	}
	fclose(f);
	if (data.failed) {
		buf_release(&data);
		return die("import: the file is too large (256 MiB at most)");
	}
	if (open_store(c)) {
		buf_release(&data);
		return 1;
	}
	config_load_file(c, err, sizeof err);
	config_finish(c);
	{
		struct people_settings ps = { c->base_url, c->profile_image_max, NULL };

		people_configure(&ps, err, sizeof err);
	}
	if (people_import_csv(data.data ? data.data : "", data.len, 0, dry, &rep, err, sizeof err) != M_OK) {
		buf_release(&data);
		import_report_release(&rep);
		return die(err);
	}
	buf_release(&data);
	for (i = 0; i < rep.nrows; i++) {
		const struct import_row *r = &rep.rows[i];

		printf("line %d\t%s\t%s%s%s%s%s\n", r->line, r->email, import_action_name(r->action),
		       r->username[0] && r->action != IMPORT_REFUSED ? "\t@" : "",
		       r->action != IMPORT_REFUSED ? r->username : "",
		       r->action == IMPORT_REFUSED ? "\t" : "", r->action == IMPORT_REFUSED ? r->reason : "");
	}
	if (rep.ignored_columns[0])
		printf("ignored columns: %s\n", rep.ignored_columns);
	printf("%s%zu created, %zu updated, %zu refused\n", dry ? "dry run (nothing saved): " : "",
	       rep.created, rep.updated, rep.refused);
	import_report_release(&rep);
	return 0;
}

int main(int argc, char **argv)
{
	struct config c;
	const char *data = NULL;
	int i = 1, rc;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("parley %s\n", PARLEY_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			data = argv[i + 1];
			i += 2;
			continue;
		}
		fputs(usage, stderr);
		return 2;
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	/* "serve --data DIR" is accepted too */
	if (!strcmp(argv[i], "serve")) {
		int j;

		for (j = i + 1; j + 1 < argc; j++) {
			if (!strcmp(argv[j], "--data")) {
				data = argv[j + 1];
				memmove(&argv[j], &argv[j + 2], (size_t)(argc - j - 2) * sizeof *argv);
				argc -= 2;
				j--;
			}
		}
	}
	config_defaults(&c, data);
	if (!strcmp(argv[i], "serve")) {
		rc = cmd_serve(&c, argc - i - 1, argv + i + 1);
	} else if (!strcmp(argv[i], "init")) {
		rc = open_store(&c);
		if (!rc)
			printf("data directory %s is ready (schema version %d)\n", c.data_dir,
			       store_schema_version());
	} else if (!strcmp(argv[i], "backup")) {
		char err[512] = "";

		if (i + 1 >= argc) {
			fputs(usage, stderr);
			return 2;
		}
		rc = open_store(&c);
		if (!rc && store_backup(argv[i + 1], err, sizeof err) < 0)
			rc = die(err);
		if (!rc)
			printf("backed up %s/parley.db to %s\n", c.data_dir, argv[i + 1]);
	} else if (!strcmp(argv[i], "admin")) {
		rc = cmd_admin(&c, argc - i - 1, argv + i + 1);
	} else if (!strcmp(argv[i], "import")) {
		rc = cmd_import(&c, argc - i - 1, argv + i + 1);
	} else {
		fputs(usage, stderr);
		return 2;
	}
	store_close();
	return rc;
}
