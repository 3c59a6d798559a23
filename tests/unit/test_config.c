/*
 * test_config.c - unit tests for settings (src/lib/config.c): defaults,
 * config_set, the DATA/parley.conf file, PARLEY_* variables and
 * config_finish.
 */
#include <stdlib.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/log.h"
#include "unit.h"

static char tmpdir[256];

static const char *const env_names[] = {
	"PARLEY_DATA", "PARLEY_LISTEN", "PARLEY_BASE_URL", "PARLEY_MAX_BODY", "PARLEY_MAX_UPLOAD",
	"PARLEY_THREADS", "PARLEY_MAX_CONNECTIONS", "PARLEY_TIMEOUT",
	"PARLEY_INSTANCE_NAME", "PARLEY_LOG_LEVEL",
	"PARLEY_MAX_STREAMS", "PARLEY_STREAM_HEARTBEAT",
};

static void clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
}

static void write_conf(const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/parley.conf", tmpdir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "  cannot write %s\n", path);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void remove_conf(void)
{
	char path[512];

	snprintf(path, sizeof path, "%s/parley.conf", tmpdir);
	unlink(path);
}

static void test_defaults(void)
{
	struct config c;

	clear_env();
	config_defaults(&c, NULL);
	CHECK_STR(c.data_dir, "var");
	CHECK_STR(c.listen, "127.0.0.1:8080");
	CHECK_STR(c.base_url, "");
	CHECK_STR(c.instance_name, "Parley");
	CHECK(c.max_body == 1024 * 1024);
	CHECK(c.max_upload == 16 * 1024 * 1024);
	CHECK(c.threads == 4);
	CHECK(c.max_connections == 1024);
	CHECK(c.timeout == 60);
	CHECK(c.max_streams == 10000);
	CHECK(c.stream_heartbeat == 15);
	CHECK(c.log_level == LOG_INFO);
	CHECK(c.https == 0);

	config_defaults(&c, "/srv/parley");
	CHECK_STR(c.data_dir, "/srv/parley");
	config_defaults(&c, "");
	CHECK_STR(c.data_dir, "var");

	setenv("PARLEY_DATA", "/from/env", 1);
	config_defaults(&c, NULL);
	CHECK_STR(c.data_dir, "/from/env");
	config_defaults(&c, "/flag/wins");
	CHECK_STR(c.data_dir, "/flag/wins");
	setenv("PARLEY_DATA", "", 1);
	config_defaults(&c, NULL);
	CHECK_STR(c.data_dir, "var");
	clear_env();

	/* an overlong data dir falls back to var */
	{
		char longdir[2000];

		memset(longdir, 'd', sizeof longdir - 1);
		longdir[sizeof longdir - 1] = '\0';
		config_defaults(&c, longdir);
		CHECK_STR(c.data_dir, "var");
	}
}

static void test_set_listen(void)
{
	struct config c;
	char err[256] = "";

	config_defaults(&c, "x");
	CHECK(config_set(&c, "listen", "0.0.0.0:9000", err, sizeof err) == 0);
	CHECK_STR(c.listen, "0.0.0.0:9000");
	CHECK(config_set(&c, "listen", "[::1]:8080", err, sizeof err) == 0);
	CHECK_STR(c.listen, "[::1]:8080");
	CHECK(config_set(&c, "listen", "localhost", err, sizeof err) == -1);
	CHECK(strstr(err, "listen") != NULL);
	CHECK(strstr(err, "localhost") != NULL);
	CHECK_STR(c.listen, "[::1]:8080"); /* unchanged after a bad value */
	{
		char big[200];

		memset(big, '1', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		big[3] = ':';
		err[0] = '\0';
		CHECK(config_set(&c, "listen", big, err, sizeof err) == -1);
		CHECK(err[0] != '\0');
		CHECK_STR(c.listen, "[::1]:8080");
	}
}

static void test_set_base_url(void)
{
	struct config c;
	char err[256] = "";

	config_defaults(&c, "x");
	CHECK(config_set(&c, "base_url", "https://chat.example.com", err, sizeof err) == 0);
	CHECK_STR(c.base_url, "https://chat.example.com");
	CHECK(config_set(&c, "base_url", "http://example.com/", err, sizeof err) == 0);
	CHECK_STR(c.base_url, "http://example.com");
	CHECK(config_set(&c, "base_url", "https://example.com/parley///", err, sizeof err) == 0);
	CHECK_STR(c.base_url, "https://example.com/parley");

	CHECK(config_set(&c, "base_url", "example.com", err, sizeof err) == -1);
	CHECK(strstr(err, "base_url") != NULL);
	CHECK(config_set(&c, "base_url", "ftp://example.com", err, sizeof err) == -1);
	CHECK(config_set(&c, "base_url", "//example.com", err, sizeof err) == -1);
	CHECK(config_set(&c, "base_url", "HTTPS//x", err, sizeof err) == -1);
	CHECK(config_set(&c, "base_url", "", err, sizeof err) == -1);
	CHECK_STR(c.base_url, "https://example.com/parley");
}

static void test_set_base_url_needs_host(void)
{
	struct config c;
	char err[256] = "";

	/* a scheme with no host is not a public URL; stripping its slashes
	 * must not leave "http:" or "https:" behind */
	config_defaults(&c, "x");
	CHECK(config_set(&c, "base_url", "http://", err, sizeof err) == -1);
	CHECK(config_set(&c, "base_url", "https:///", err, sizeof err) == -1);
	CHECK_STR(c.base_url, "");
}

static void test_set_numbers(void)
{
	struct config c;
	char err[256];

	config_defaults(&c, "x");
	CHECK(config_set(&c, "max_body", "1024", err, sizeof err) == 0);
	CHECK(c.max_body == 1024);
	CHECK(config_set(&c, "max_body", "1073741824", err, sizeof err) == 0);
	CHECK(c.max_body == 1073741824u);
	CHECK(config_set(&c, "max_body", "1023", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_body", "1073741825", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_body", "10k", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_body", "", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_body", "-5", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_body", "99999999999999999999999", err, sizeof err) == -1);
	CHECK(c.max_body == 1073741824u);
	CHECK(strstr(err, "max_body") != NULL);

	CHECK(config_set(&c, "max_upload", "1024", err, sizeof err) == 0);
	CHECK(c.max_upload == 1024);
	CHECK(config_set(&c, "max_upload", "104857600", err, sizeof err) == 0);
	CHECK(c.max_upload == 104857600u);
	CHECK(config_set(&c, "max_upload", "1023", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_upload", "1073741825", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_upload", "16M", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_upload", "", err, sizeof err) == -1);
	CHECK(strstr(err, "max_upload") != NULL);
	CHECK(c.max_upload == 104857600u);
	CHECK(c.max_body == 1073741824u); /* the two limits are separate */

	CHECK(config_set(&c, "threads", "1", err, sizeof err) == 0);
	CHECK(c.threads == 1);
	CHECK(config_set(&c, "threads", "256", err, sizeof err) == 0);
	CHECK(c.threads == 256);
	CHECK(config_set(&c, "threads", "0", err, sizeof err) == -1);
	CHECK(config_set(&c, "threads", "257", err, sizeof err) == -1);
	CHECK(config_set(&c, "threads", "four", err, sizeof err) == -1);
	CHECK(config_set(&c, "threads", "2.5", err, sizeof err) == -1);
	CHECK(c.threads == 256);

	CHECK(config_set(&c, "max_connections", "4", err, sizeof err) == 0);
	CHECK(c.max_connections == 4);
	CHECK(config_set(&c, "max_connections", "3", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_connections", "1000000", err, sizeof err) == 0);
	CHECK(config_set(&c, "max_connections", "1000001", err, sizeof err) == -1);
	CHECK(c.max_connections == 1000000);

	CHECK(config_set(&c, "timeout", "1", err, sizeof err) == 0);
	CHECK(config_set(&c, "timeout", "3600", err, sizeof err) == 0);
	CHECK(c.timeout == 3600);
	CHECK(config_set(&c, "timeout", "0", err, sizeof err) == -1);
	CHECK(config_set(&c, "timeout", "3601", err, sizeof err) == -1);
	CHECK(c.timeout == 3600);

	/* 0 streams turns streaming off */
	CHECK(config_set(&c, "max_streams", "0", err, sizeof err) == 0);
	CHECK(c.max_streams == 0);
	CHECK(config_set(&c, "max_streams", "1000000", err, sizeof err) == 0);
	CHECK(c.max_streams == 1000000);
	CHECK(config_set(&c, "max_streams", "1000001", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_streams", "-1", err, sizeof err) == -1);
	CHECK(config_set(&c, "max_streams", "many", err, sizeof err) == -1);
	CHECK(strstr(err, "max_streams") != NULL);
	CHECK(c.max_streams == 1000000);

	CHECK(config_set(&c, "stream_heartbeat", "1", err, sizeof err) == 0);
	CHECK(c.stream_heartbeat == 1);
	CHECK(config_set(&c, "stream_heartbeat", "3600", err, sizeof err) == 0);
	CHECK(c.stream_heartbeat == 3600);
	CHECK(config_set(&c, "stream_heartbeat", "0", err, sizeof err) == -1);
	CHECK(config_set(&c, "stream_heartbeat", "3601", err, sizeof err) == -1);
	CHECK(config_set(&c, "stream_heartbeat", "15s", err, sizeof err) == -1);
	CHECK(strstr(err, "stream_heartbeat") != NULL);
	CHECK(c.stream_heartbeat == 3600);
}

static void test_set_strings_and_level(void)
{
	struct config c;
	char err[256];

	config_defaults(&c, "x");
	CHECK(config_set(&c, "instance_name", "Acme Chat", err, sizeof err) == 0);
	CHECK_STR(c.instance_name, "Acme Chat");
	CHECK(config_set(&c, "instance_name", "", err, sizeof err) == -1);
	CHECK_STR(c.instance_name, "Acme Chat");

	CHECK(config_set(&c, "log_level", "debug", err, sizeof err) == 0);
	CHECK(c.log_level == LOG_DEBUG);
	CHECK(config_set(&c, "log_level", "WARN", err, sizeof err) == 0);
	CHECK(c.log_level == LOG_WARN);
	CHECK(config_set(&c, "log_level", "error", err, sizeof err) == 0);
	CHECK(c.log_level == LOG_ERROR);
	CHECK(config_set(&c, "log_level", "Info", err, sizeof err) == 0);
	CHECK(c.log_level == LOG_INFO);
	CHECK(config_set(&c, "log_level", "verbose", err, sizeof err) == -1);
	CHECK(strstr(err, "verbose") != NULL);
	CHECK(c.log_level == LOG_INFO);
}

static void test_set_unknown_key(void)
{
	struct config c, before;
	char err[256] = "";

	config_defaults(&c, "x");
	before = c;
	CHECK(config_set(&c, "listn", "1.2.3.4:5", err, sizeof err) == -1);
	CHECK(strstr(err, "unknown") != NULL);
	CHECK(strstr(err, "listn") != NULL);
	CHECK(config_set(&c, "LISTEN", "1.2.3.4:5", err, sizeof err) == -1);
	CHECK(config_set(&c, "data_dir", "/x", err, sizeof err) == -1);
	CHECK(config_set(&c, "https", "1", err, sizeof err) == -1);
	CHECK_STR(c.listen, before.listen);
	CHECK_STR(c.data_dir, before.data_dir);
	CHECK_STR(c.base_url, before.base_url);
	CHECK(c.https == before.https);

	/* a tiny error buffer is still NUL-terminated */
	{
		char small[8];

		memset(small, 'X', sizeof small);
		CHECK(config_set(&c, "nope-nope-nope", "v", small, sizeof small) == -1);
		CHECK(memchr(small, '\0', sizeof small) != NULL);
	}
}

static void test_file_loading(void)
{
	struct config c;
	char err[512] = "";

	clear_env();
	config_defaults(&c, tmpdir);
	remove_conf();
	CHECK(config_load_file(&c, err, sizeof err) == 0); /* missing is fine */
	CHECK_STR(c.listen, "127.0.0.1:8080");

	write_conf("# Parley settings\n"
		   "\n"
		   "   \n"
		   "listen = 0.0.0.0:9999\n"
		   "\t# indented comment\n"
		   "base_url=https://parley.example.org/\n"
		   "  instance_name   =   Example Org  \r\n"
		   "threads = 8\n"
		   "max_body = 2048\n"
		   "max_upload = 4096\n"
		   "timeout = 30\n"
		   "max_connections = 50\n"
		   "max_streams = 77\n"
		   "stream_heartbeat = 9\n"
		   "log_level = warn"); /* no final newline */
	CHECK(config_load_file(&c, err, sizeof err) == 0);
	CHECK_STR(c.listen, "0.0.0.0:9999");
	CHECK_STR(c.base_url, "https://parley.example.org");
	CHECK_STR(c.instance_name, "Example Org");
	CHECK(c.threads == 8);
	CHECK(c.max_body == 2048);
	CHECK(c.max_upload == 4096);
	CHECK(c.timeout == 30);
	CHECK(c.max_connections == 50);
	CHECK(c.max_streams == 77);
	CHECK(c.stream_heartbeat == 9);
	CHECK(c.log_level == LOG_WARN);
	config_finish(&c);
	CHECK(c.https == 1);
	remove_conf();
}

static void test_file_bad_lines(void)
{
	struct config c;
	char err[512] = "", want[400];

	config_defaults(&c, tmpdir);
	write_conf("# ok\nthreads = 2\nthis line has no equals sign\nthreads = 3\n");
	CHECK(config_load_file(&c, err, sizeof err) == -1);
	snprintf(want, sizeof want, "%s/parley.conf:3:", tmpdir);
	CHECK(strncmp(err, want, strlen(want)) == 0);
	CHECK(strstr(err, "key = value") != NULL);
	CHECK(c.threads == 2); /* lines before the bad one were applied */

	config_defaults(&c, tmpdir);
	err[0] = '\0';
	write_conf("\n\n# c\nlisten = 1.2.3.4:80\nthreads = 0\n");
	CHECK(config_load_file(&c, err, sizeof err) == -1);
	snprintf(want, sizeof want, "%s/parley.conf:5:", tmpdir);
	CHECK(strncmp(err, want, strlen(want)) == 0);
	CHECK(strstr(err, "threads") != NULL);

	config_defaults(&c, tmpdir);
	err[0] = '\0';
	write_conf("colour = blue\n");
	CHECK(config_load_file(&c, err, sizeof err) == -1);
	snprintf(want, sizeof want, "%s/parley.conf:1:", tmpdir);
	CHECK(strncmp(err, want, strlen(want)) == 0);
	CHECK(strstr(err, "colour") != NULL);

	config_defaults(&c, tmpdir);
	err[0] = '\0';
	write_conf("max_body = 100\n");
	CHECK(config_load_file(&c, err, sizeof err) == -1);
	CHECK(strstr(err, ":1:") != NULL);
	CHECK(strstr(err, "max_body") != NULL);
	CHECK(c.max_body == 1024 * 1024);
	remove_conf();
}

static void test_env_loading(void)
{
	struct config c;
	char err[512] = "";

	clear_env();
	config_defaults(&c, tmpdir);
	CHECK(config_load_env(&c, err, sizeof err) == 0); /* nothing set */
	CHECK_STR(c.listen, "127.0.0.1:8080");

	setenv("PARLEY_LISTEN", "0.0.0.0:7000", 1);
	setenv("PARLEY_BASE_URL", "https://env.example/", 1);
	setenv("PARLEY_MAX_BODY", "4096", 1);
	setenv("PARLEY_MAX_UPLOAD", "8192", 1);
	setenv("PARLEY_THREADS", "16", 1);
	setenv("PARLEY_MAX_CONNECTIONS", "64", 1);
	setenv("PARLEY_TIMEOUT", "5", 1);
	setenv("PARLEY_INSTANCE_NAME", "Env Name", 1);
	setenv("PARLEY_LOG_LEVEL", "debug", 1);
	setenv("PARLEY_MAX_STREAMS", "123", 1);
	setenv("PARLEY_STREAM_HEARTBEAT", "2", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK(c.max_streams == 123);
	CHECK(c.stream_heartbeat == 2);
	CHECK_STR(c.listen, "0.0.0.0:7000");
	CHECK_STR(c.base_url, "https://env.example");
	CHECK(c.max_body == 4096);
	CHECK(c.max_upload == 8192);
	CHECK(c.threads == 16);
	CHECK(c.max_connections == 64);
	CHECK(c.timeout == 5);
	CHECK_STR(c.instance_name, "Env Name");
	CHECK(c.log_level == LOG_DEBUG);
	clear_env();

	/* an empty variable is ignored */
	config_defaults(&c, tmpdir);
	setenv("PARLEY_THREADS", "", 1);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK(c.threads == 4);

	/* a bad value is an error naming the variable */
	setenv("PARLEY_THREADS", "0", 1);
	err[0] = '\0';
	CHECK(config_load_env(&c, err, sizeof err) == -1);
	CHECK(strstr(err, "PARLEY_THREADS") != NULL);
	CHECK(c.threads == 4);
	clear_env();

	setenv("PARLEY_LISTEN", "nocolon", 1);
	err[0] = '\0';
	CHECK(config_load_env(&c, err, sizeof err) == -1);
	CHECK(strstr(err, "PARLEY_LISTEN") != NULL);
	clear_env();

	setenv("PARLEY_BASE_URL", "parley.example", 1);
	CHECK(config_load_env(&c, err, sizeof err) == -1);
	CHECK(strstr(err, "PARLEY_BASE_URL") != NULL);
	clear_env();

	setenv("PARLEY_STREAM_HEARTBEAT", "0", 1);
	CHECK(config_load_env(&c, err, sizeof err) == -1);
	CHECK(strstr(err, "PARLEY_STREAM_HEARTBEAT") != NULL);
	clear_env();
}

static void test_precedence_file_then_env(void)
{
	struct config c;
	char err[512] = "";

	clear_env();
	config_defaults(&c, tmpdir);
	write_conf("listen = 10.0.0.1:80\nthreads = 2\nmax_streams = 5\nstream_heartbeat = 30\n");
	setenv("PARLEY_LISTEN", "10.0.0.2:81", 1);
	setenv("PARLEY_STREAM_HEARTBEAT", "3", 1);
	CHECK(config_load_file(&c, err, sizeof err) == 0);
	CHECK(config_load_env(&c, err, sizeof err) == 0);
	CHECK_STR(c.listen, "10.0.0.2:81"); /* env beats the file */
	CHECK(c.threads == 2);              /* the file beats the default */
	CHECK(c.max_streams == 5);
	CHECK(c.stream_heartbeat == 3);
	/* flags come last through config_set */
	CHECK(config_set(&c, "listen", "10.0.0.3:82", err, sizeof err) == 0);
	CHECK_STR(c.listen, "10.0.0.3:82");
	clear_env();
	remove_conf();
}

static void test_finish(void)
{
	struct config c;
	char err[256];

	config_defaults(&c, "x");
	config_finish(&c);
	CHECK_STR(c.base_url, "http://127.0.0.1:8080");
	CHECK(c.https == 0);

	config_defaults(&c, "x");
	CHECK(config_set(&c, "listen", "0.0.0.0:3000", err, sizeof err) == 0);
	config_finish(&c);
	CHECK_STR(c.base_url, "http://0.0.0.0:3000");
	CHECK(c.https == 0);

	config_defaults(&c, "x");
	CHECK(config_set(&c, "base_url", "https://secure.example", err, sizeof err) == 0);
	config_finish(&c);
	CHECK_STR(c.base_url, "https://secure.example"); /* kept when set */
	CHECK(c.https == 1);

	config_defaults(&c, "x");
	CHECK(config_set(&c, "base_url", "http://plain.example", err, sizeof err) == 0);
	config_finish(&c);
	CHECK(c.https == 0);

	/* finishing twice changes nothing */
	config_finish(&c);
	CHECK_STR(c.base_url, "http://plain.example");
	CHECK(c.https == 0);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/parley-test-config-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_defaults);
	RUN(test_set_listen);
	RUN(test_set_base_url);
	RUN(test_set_base_url_needs_host);
	RUN(test_set_numbers);
	RUN(test_set_strings_and_level);
	RUN(test_set_unknown_key);
	RUN(test_file_loading);
	RUN(test_file_bad_lines);
	RUN(test_env_loading);
	RUN(test_precedence_file_then_env);
	RUN(test_finish);
	remove_conf();
	rmdir(tmpdir);
	return unit_finish("config");
}
