// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrotctl as a user runs it.  The log commands read logs that
 * testlog writes; the device commands run hrotctl-fake, which is hrotctl
 * linked with fake_hrot's stand-in for the module.  The binaries come from
 * $HROTCTL and $HROTCTL_FAKE (set by `make check`).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <json-c/json.h>

#include <hrot/eventlog.h>
#include <hrot/hex.h>

#include "testlog.h"

struct fixture {
	char dir[64];
	char std_log[128];
	char fake_log[128];
};

/* What a run printed and how it ended; to release with run_free(). */
struct run {
	int status;	/* exit status, or 128 + signal */
	char *out;
	char *err;
};

static char *slurp(int fd)
{
	struct stat st;
	char *s;

	assert_int_equal(fstat(fd, &st), 0);
	s = calloc(1, (size_t)st.st_size + 1);
	assert_non_null(s);
	assert_int_equal(pread(fd, s, (size_t)st.st_size, 0), st.st_size);
	return s;
}

static int temp_fd(void)
{
	char path[] = "/tmp/hrot-cli-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

static void child(const char *const *env, const char *const *argv, int out,
		  int err)
{
	for (; env && env[0] && env[1]; env += 2)
		setenv(env[0], env[1], 1);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	if (argv[0])
		execvp(argv[0], (char *const *)argv);
	_exit(127);
}

/* Run @argv with the NULL-terminated name/value pairs @env added. */
static struct run run_env(const char *const *env, const char *const *argv)
{
	int out = temp_fd(), err = temp_fd(), status;
	struct run r;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child(env, argv, out, err);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) :
		   128 + WTERMSIG(status);
	r.out = slurp(out);
	r.err = slurp(err);
	close(out);
	close(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define ARGV(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define ENV(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define run(...)	run_env(NULL, ARGV(__VA_ARGS__))

static const char *hrotctl(void)
{
	const char *p = getenv("HROTCTL");

	if (!p)
		skip();
	return p;
}

static const char *hrotctl_fake(void)
{
	const char *p = getenv("HROTCTL_FAKE");

	if (!p)
		skip();
	return p;
}

static void assert_contains(const char *s, const char *part)
{
	if (!s || !strstr(s, part))
		fail_msg("\"%s\" not in \"%s\"", part, s ? s : "(null)");
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct tl_buf b = { 0 };

	if (!f)
		return -1;
	*state = f;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hrot-cli-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->std_log, sizeof(f->std_log), "%s/standard.log", f->dir);
	snprintf(f->fake_log, sizeof(f->fake_log), "%s/fake.log", f->dir);
	tl_standard_log(&b, NULL);
	write_file(f->std_log, b.data, b.len);
	tl_free(&b);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int ret;

	/* Depth first, so each directory is empty when its turn comes. */
	ret = nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return ret;
}

/* ---- JSON ---------------------------------------------------------------- */

/* The value at @path ("records.1.hrot.name"); numbers index arrays. */
static struct json_object *jpath(struct json_object *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o,
						      strtoul(tok, NULL, 10));
		else if (!json_object_object_get_ex(o, tok, &o))
			o = NULL;
	}
	if (!o && tok)
		fail_msg("no %s", path);
	return o;
}

static const char *jstr(struct json_object *o, const char *path)
{
	struct json_object *v = jpath(o, path);

	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static int64_t jint(struct json_object *o, const char *path)
{
	struct json_object *v = jpath(o, path);

	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

#define hex_of(p, n, out)	hex_of_(p, n, out, sizeof(out))

static void hex_of_(const uint8_t *p, size_t n, char *out, size_t size)
{
	assert_int_equal(hrot_hex_encode(p, n, out, size), 0);
}

/* ---- log ----------------------------------------------------------------- */

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Line @n (from 0) of @s, into @out. */
static void nth_line(const char *s, int n, char *out, size_t size)
{
	const char *end;

	for (; n > 0 && s; n--) {
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	end = s ? strchr(s, '\n') : NULL;
	if (!end || (size_t)(end - s) >= size) {
		fail_msg("no line %d", n);
		return;
	}
	memcpy(out, s, (size_t)(end - s));
	out[end - s] = '\0';
}

static void test_log_text(void **state)
{
	const struct fixture *f = *state;
	struct run r = run(hrotctl(), "log", "--file", f->std_log);
	uint8_t d[32];
	char line[1024], hex[65], want[256];

	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	nth_line(r.out, 0, line, sizeof(line));
	assert_true(strncmp(line, "0 13 EV_EVENT_TAG sha1:", 23) == 0);
	tl_content_digest("boot-config", d);
	hex_of(d, 32, hex);
	snprintf(want, sizeof(want), " extend sha256:%s 0 boot-config", hex);
	assert_contains(line, want);
	assert_contains(line, " sm3_256:");
	nth_line(r.out, 1, line, sizeof(line));
	assert_contains(line, "1 13 EV_IPL ");
	assert_contains(line, " 1234 /boot/vmlinuz");
	nth_line(r.out, 2, line, sizeof(line));
	assert_true(strncmp(line, "2 0 EV_NO_ACTION ", 17) == 0);
	assert_contains(line, " - - - -");
	nth_line(r.out, 3, line, sizeof(line));
	assert_true(strncmp(line, "3 14 EV_ACTION ", 15) == 0);
	nth_line(r.out, 4, line, sizeof(line));
	assert_contains(line,
			" name\\040with\\040space\\134and\\012newline\\040\\303\\251");
	assert_int_equal(count_lines(r.out), TL_STD_RECORDS);
	run_free(&r);
}

/* Each digest of record 1 in the JSON is what OpenSSL gives. */
static void check_json_digests(struct json_object *root)
{
	struct tl_buf ev = { 0 };
	uint8_t content[32], d[64];
	char path[64], hex[129];
	size_t k;

	tl_content_digest("/boot/vmlinuz", content);
	tl_hrot_event(&ev, 2, 0x0d, content, 1234, "/boot/vmlinuz", 13);
	for (k = 0; k < TL_NR_BANKS; k++) {
		tl_bank_digest(&tl_banks[k], ev.data, ev.len, d);
		hex_of(d, tl_banks[k].size, hex);
		snprintf(path, sizeof(path), "records.1.digests.%zu.digest", k);
		assert_string_equal(jstr(root, path), hex);
	}
	tl_free(&ev);
}

static void test_log_json(void **state)
{
	const struct fixture *f = *state;
	struct run r = run(hrotctl(), "log", "--json", "--file", f->std_log);
	struct json_object *root;

	assert_int_equal(r.status, 0);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	assert_int_equal(json_object_array_length(jpath(root, "records")),
			 TL_STD_RECORDS);
	assert_int_equal(jint(root, "spec_id.spec_version_major"), 2);
	assert_string_equal(jstr(root, "spec_id.algorithms.3.alg"), "sm3_256");
	assert_int_equal(jint(root, "spec_id.algorithms.2.digest_size"), 48);
	assert_int_equal(jint(root, "records.1.pcr"), 13);
	assert_int_equal(jint(root, "records.1.event_type"), 0x0d);
	assert_string_equal(jstr(root, "records.1.event_type_name"), "EV_IPL");
	assert_string_equal(jstr(root, "records.1.hrot.kind"), "file");
	assert_string_equal(jstr(root, "records.1.hrot.name"), "/boot/vmlinuz");
	assert_int_equal(jint(root, "records.1.hrot.file_size"), 1234);
	assert_string_equal(jstr(root, "records.1.digests.0.alg"), "sha1");
	check_json_digests(root);
	assert_null(jpath(root, "records.2.hrot"));
	assert_string_equal(jstr(root, "records.3.event"),
			    "706c61696e206576656e74");	/* "plain event" */
	/* Valid UTF-8 names are kept as they are. */
	assert_string_equal(jstr(root, "records.4.hrot.name"),
			    "name with space\\and\nnewline \xc3\xa9");
	json_object_put(root);
	run_free(&r);
}

/*
 * Write the standard log with one bit of byte @off of record 1 flipped
 * (none if @off < 0), less its last @truncate_by bytes.
 */
static void write_altered(const struct fixture *f, const char *path,
			  long off, size_t truncate_by)
{
	struct tl_buf b = { 0 };
	size_t ends[TL_STD_RECORDS + 1];

	(void)f;
	tl_standard_log(&b, ends);
	if (off >= 0)
		b.data[ends[1] + (size_t)off] ^= 0x01;
	write_file(path, b.data, b.len - truncate_by);
	tl_free(&b);
}

static void test_log_tampered(void **state)
{
	const struct fixture *f = *state;
	char path[160];
	struct run r;

	snprintf(path, sizeof(path), "%s/tampered.log", f->dir);
	/* Byte 20 of record 1: inside its SHA-1 digest. */
	write_altered(f, path, 20, 0);
	r = run(hrotctl(), "log", "--file", path);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_contains(r.err, "hrotctl: log: ");
	assert_contains(r.err, "record 1 at offset");
	assert_contains(r.err, "sha1 digest does not match the event data");
	run_free(&r);
	r = run(hrotctl(), "replay", "--file", path);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "record 1 at offset");
	run_free(&r);
	/* --no-verify shows it anyway. */
	r = run(hrotctl(), "log", "--no-verify", "--file", path);
	assert_int_equal(r.status, 0);
	run_free(&r);
}

static void test_log_truncated(void **state)
{
	const struct fixture *f = *state;
	char path[160];
	struct run r;

	snprintf(path, sizeof(path), "%s/truncated.log", f->dir);
	write_altered(f, path, -1, 3);
	r = run(hrotctl(), "log", "--file", path);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_contains(r.err, "invalid log: record 4 at offset");
	assert_contains(r.err, "truncated");
	run_free(&r);
	r = run(hrotctl(), "log", "--file", "/nonexistent/log");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "/nonexistent/log: No such file or directory");
	run_free(&r);
}

/* ---- replay -------------------------------------------------------------- */

static void test_replay_text(void **state)
{
	const struct fixture *f = *state;
	struct run r = run(hrotctl(), "replay", "--file", f->std_log);
	uint8_t v[64];
	char line[256], hex[129];
	size_t k;
	int n = 0;
	uint32_t pcr;

	assert_int_equal(r.status, 0);
	for (pcr = 13; pcr <= 14; pcr++) {
		for (k = 0; k < TL_NR_BANKS; k++) {
			tl_standard_pcr(pcr, k, v);
			hex_of(v, tl_banks[k].size, hex);
			snprintf(line, sizeof(line), "pcr%u %s %s\n", pcr,
				 k == 0 ? "sha1" : k == 1 ? "sha256" :
				 k == 2 ? "sha384" : "sm3_256", hex);
			assert_contains(r.out, line);
			n++;
		}
	}
	/* Nothing else: PCR 0 had only EV_NO_ACTION. */
	assert_int_equal(count_lines(r.out), n);
	run_free(&r);
}

static void test_replay_json(void **state)
{
	const struct fixture *f = *state;
	struct run r = run(hrotctl(), "replay", "--json", "--file", f->std_log);
	struct json_object *root;
	uint8_t v[64];
	char hex[129];

	assert_int_equal(r.status, 0);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	assert_int_equal(json_object_array_length(jpath(root, "pcrs")), 2);
	assert_int_equal(jint(root, "pcrs.0.pcr"), 13);
	tl_standard_pcr(13, 1, v);
	hex_of(v, 32, hex);
	assert_string_equal(jstr(root, "pcrs.0.banks.sha256"), hex);
	tl_standard_pcr(14, 2, v);
	hex_of(v, 48, hex);
	assert_string_equal(jstr(root, "pcrs.1.banks.sha384"), hex);
	json_object_put(root);
	run_free(&r);
}

/* Whether @name is an executable on $PATH. */
static bool have_program(const char *name)
{
	const char *env = getenv("PATH");
	char *path = strdup(env ? env : "/usr/bin");
	char *dir, *save = NULL, full[512];
	bool found = false;

	assert_non_null(path);
	for (dir = strtok_r(path, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof(full), "%s/%s", dir, name);
		found = access(full, X_OK) == 0;
	}
	free(path);
	return found;
}

/* "pcr13 sha256 HEX\n" into "13", "sha256", "HEX". */
static void split_replay_line(const char *line, char pcr[16], char alg[16],
			      char hex[129])
{
	size_t n;

	assert_true(strncmp(line, "pcr", 3) == 0);
	line += 3;
	n = strspn(line, "0123456789");
	assert_true(n > 0 && n < 16 && line[n] == ' ');
	memcpy(pcr, line, n);
	pcr[n] = '\0';
	line += n + 1;
	n = strcspn(line, " ");
	assert_true(n > 0 && n < 16);
	memcpy(alg, line, n);
	alg[n] = '\0';
	line += n + 1;
	n = strcspn(line, "\n");
	assert_true(n > 0 && n < 129);
	memcpy(hex, line, n);
	hex[n] = '\0';
}

/* tpm2-tools reads and replays the same log to the same values. */
static void test_replay_matches_tpm2_eventlog(void **state)
{
	const struct fixture *f = *state;
	struct run mine, theirs;
	const char *p, *line_end;
	char want[256];

	if (!have_program("tpm2_eventlog"))
		skip();
	theirs = run("tpm2_eventlog", f->std_log);
	assert_int_equal(theirs.status, 0);
	mine = run(hrotctl(), "replay", "--file", f->std_log);
	assert_int_equal(mine.status, 0);
	/* "pcr13 sha256 HEX" against "  sha256:\n ... 13 : 0xHEX\n". */
	for (p = mine.out; (line_end = strchr(p, '\n')); p = line_end + 1) {
		char pcr[16], alg[16], hex[129];
		const char *bank;

		split_replay_line(p, pcr, alg, hex);
		snprintf(want, sizeof(want), "  %s:\n", alg);
		bank = strstr(theirs.out, want);
		snprintf(want, sizeof(want), "%-2s : 0x%s\n", pcr, hex);
		assert_contains(bank, want);
	}
	run_free(&mine);
	run_free(&theirs);
}

/* ---- usage --------------------------------------------------------------- */

static void expect_usage(struct run r, const char *text)
{
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	assert_contains(r.err, text);
	run_free(&r);
}

static void test_usage(void **state)
{
	const char *bin = hrotctl();
	struct run r;

	(void)state;
	expect_usage(run(bin), "no command");
	expect_usage(run(bin, "frobnicate"), "unknown command 'frobnicate'");
	expect_usage(run(bin, "--bogus", "info"), "bad option '--bogus'");
	expect_usage(run(bin, "--device"), "bad option");
	expect_usage(run(bin, "log", "--bogus"), "usage: hrotctl");
	expect_usage(run(bin, "extend"), "needs exactly one DESCRIPTION");
	expect_usage(run(bin, "extend", "--type", "3", "x"), "EV_NO_ACTION");
	expect_usage(run(bin, "measure"), "needs at least one FILE");
	expect_usage(run(bin, "info", "extra"), "unexpected argument 'extra'");
	r = run(bin, "--help");
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "usage: hrotctl [--device PATH] COMMAND");
	assert_contains(r.out, "fingerprint [--json]");
	run_free(&r);
	r = run(bin, "--version");
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "hrotctl ");
	run_free(&r);
}

/* Without the module: clear errors, exit 1. */
static void test_no_device(void **state)
{
	const char *bin = hrotctl();
	struct run r;

	(void)state;
	r = run(bin, "--device", "/nonexistent/hrot", "info");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err,
			    "hrotctl: info: /nonexistent/hrot: No such file or directory (is the hrot module loaded?)\n");
	run_free(&r);
	r = run(bin, "--device", "/dev/null", "fingerprint");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "hrotctl: fingerprint: /dev/null: Inappropriate ioctl for device (not an hrot device");
	run_free(&r);
	r = run(bin, "--device", "/nonexistent/hrot", "measure", "/etc/hostname");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "hrotctl: measure: /nonexistent/hrot: No such file");
	run_free(&r);
}

/* ---- device commands, on the fake module --------------------------------- */

static void test_fake_info(void **state)
{
	const struct fixture *f = *state;
	const char *bin = hrotctl_fake();
	struct json_object *root;
	struct run r;

	(void)f;
	r = run(bin, "--device", "/dev/null", "info");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "abi_version 1\n"
				   "tpm present\n"
				   "token none\n"
				   "pcr 13\n"
				   "content_hash sha256\n"
				   "banks sha1 sha256 sha384 sm3_256\n"
				   "log_entries 0\n"
				   "log_bytes 0\n"
				   "log_max_bytes 8388608\n");
	run_free(&r);
	r = run(bin, "--device", "/dev/null", "info", "--json");
	assert_int_equal(r.status, 0);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	assert_int_equal(jint(root, "abi_version"), 1);
	assert_true(json_object_get_boolean(jpath(root, "tpm_present")));
	assert_false(json_object_get_boolean(jpath(root, "token_valid")));
	assert_string_equal(jstr(root, "banks.1"), "sha256");
	assert_int_equal(jint(root, "log_max_bytes"), 8388608);
	json_object_put(root);
	run_free(&r);
	r = run_env(ENV("HROT_FAKE_BANKS", "9"),
		    ARGV(bin, "--device", "/dev/null", "info"));
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "inconsistent");
	run_free(&r);
}

/* The files of the measure test, some with names sha256sum escapes. */
static const char *const measured[] = {
	"plain", "with space", "back\\slash", "new\nline",
};

#define NR_MEASURED	(sizeof(measured) / sizeof(measured[0]))

static void test_fake_measure(void **state)
{
	const struct fixture *f = *state;
	char paths[NR_MEASURED][160], missing[160], want[256];
	const char *argv[NR_MEASURED + 6];
	struct run mine, theirs;
	size_t i;

	for (i = 0; i < NR_MEASURED; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", f->dir,
			 measured[i]);
		write_file(paths[i], measured[i], strlen(measured[i]));
	}
	snprintf(missing, sizeof(missing), "%s/missing", f->dir);
	/* hrotctl-fake --device /dev/null measure F0 F1 missing F2 F3 */
	argv[0] = hrotctl_fake();
	argv[1] = "--device";
	argv[2] = "/dev/null";
	argv[3] = "measure";
	argv[4] = paths[0];
	argv[5] = paths[1];
	argv[6] = missing;
	argv[7] = paths[2];
	argv[8] = paths[3];
	argv[9] = NULL;
	mine = run_env(NULL, argv);
	/* One failure: the rest are measured, and the exit status says so. */
	assert_int_equal(mine.status, 1);
	snprintf(want, sizeof(want),
		 "hrotctl: measure %s: No such file or directory\n", missing);
	assert_string_equal(mine.err, want);
	theirs = run("sha256sum", paths[0], paths[1], paths[2], paths[3]);
	assert_int_equal(theirs.status, 0);
	assert_string_equal(mine.out, theirs.out);
	run_free(&mine);
	run_free(&theirs);
}

/* SHA-256("abc"), a digest to pass to --digest. */
static const char abc_sha256[] =
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void test_fake_extend(void **state)
{
	const struct fixture *f = *state;
	const char *bin = hrotctl_fake();
	const char *const *env = ENV("HROT_FAKE_LOG", f->fake_log);
	char line[512], hex[65], want[512];
	uint8_t d[32];
	struct run r;

	unlink(f->fake_log);
	r = run_env(env, ARGV(bin, "-d", "/dev/null", "extend", "hello"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "0\n");
	assert_string_equal(r.err, "");
	run_free(&r);
	r = run_env(env, ARGV(bin, "-d", "/dev/null", "extend", "--type",
			      "0x80000007", "--digest", abc_sha256,
			      "with digest"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "1\n");
	run_free(&r);
	/* What the module logged reads back through hrotctl log. */
	r = run(hrotctl(), "log", "--file", f->fake_log);
	assert_int_equal(r.status, 0);
	nth_line(r.out, 0, line, sizeof(line));
	tl_sha256("hello", 5, d);
	hex_of(d, 32, hex);
	snprintf(want, sizeof(want), " extend sha256:%s 0 hello", hex);
	assert_true(strncmp(line, "0 13 EV_EVENT_TAG ", 18) == 0);
	assert_contains(line, want);
	nth_line(r.out, 1, line, sizeof(line));
	assert_contains(line, "1 13 EV_EFI_ACTION ");
	snprintf(want, sizeof(want), " extend sha256:%s 0 with\\040digest",
		 abc_sha256);
	assert_contains(line, want);
	run_free(&r);
}

static void test_fake_errors(void **state)
{
	const char *bin = hrotctl_fake();
	struct run r;

	(void)state;
	r = run_env(ENV("HROT_FAKE_ERRNO", "1"),
		    ARGV(bin, "-d", "/dev/null", "extend", "x"));
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "hrotctl: extend: /dev/null: Operation not permitted (EXTEND needs CAP_SYS_ADMIN)\n");
	run_free(&r);
	r = run_env(ENV("HROT_FAKE_ERRNO", "28"),
		    ARGV(bin, "-d", "/dev/null", "measure", "/etc/hostname"));
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "hrotctl: measure /etc/hostname: No space left on device (the hrot event log is full");
	run_free(&r);
	r = run(bin, "-d", "/dev/null", "measure", "/tmp", "/dev/null");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "hrotctl: measure /tmp: Is a directory\n"
				   "hrotctl: measure /dev/null: Invalid argument (not a regular file)\n");
	run_free(&r);
}

/* MEASURE_FD's record: the file's path, size and SHA-256. */
static void test_fake_measure_logged(void **state)
{
	const struct fixture *f = *state;
	const char *const *env = ENV("HROT_FAKE_LOG", f->fake_log);
	char path[160], hex[65], want[512];
	struct run r;
	uint8_t d[32];

	snprintf(path, sizeof(path), "%s/kernel", f->dir);
	write_file(path, "0123456789", 10);
	unlink(f->fake_log);
	r = run_env(env, ARGV(hrotctl_fake(), "-d", "/dev/null", "measure",
			      path));
	assert_int_equal(r.status, 0);
	tl_sha256("0123456789", 10, d);
	hex_of(d, 32, hex);
	snprintf(want, sizeof(want), "%s  %s\n", hex, path);
	assert_string_equal(r.out, want);
	run_free(&r);
	r = run(hrotctl(), "log", "--file", f->fake_log);
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof(want), " file sha256:%s 10 %s\n", hex, path);
	assert_contains(r.out, want);
	assert_true(strncmp(r.out, "0 13 EV_IPL ", 12) == 0);
	run_free(&r);
	r = run_env(env, ARGV(hrotctl_fake(), "-d", "/dev/null", "info"));
	assert_contains(r.out, "log_entries 1\n");
	run_free(&r);
}

static void test_fake_fingerprint_text(void **state)
{
	struct run r = run(hrotctl_fake(), "-d", "/dev/null", "fingerprint");
	char line[512], hex[65], want[512];
	uint8_t d[32];

	(void)state;
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_true(strncmp(r.out, "digest ", 7) == 0);
	assert_int_equal(count_lines(r.out), 1 + 11);
	nth_line(r.out, 1, line, sizeof(line));
	tl_sha256("QEMU", 4, d);
	hex_of(d, 32, hex);
	snprintf(want, sizeof(want), "sys_vendor present %s QEMU", hex);
	assert_string_equal(line, want);
	nth_line(r.out, 2, line, sizeof(line));
	assert_contains(line, " Standard PC (Q35 + ICH9, 2009)");
	nth_line(r.out, 4, line, sizeof(line));
	assert_string_equal(line, "product_serial absent "
			    "0000000000000000000000000000000000000000000000000000000000000000 ");
	nth_line(r.out, 11, line, sizeof(line));
	assert_contains(line, "tpm_ek present ");
	run_free(&r);
}

static void test_fake_fingerprint_json(void **state)
{
	struct run r = run(hrotctl_fake(), "-d", "/dev/null", "fingerprint",
			   "--json");
	struct json_object *root;
	uint8_t d[32];
	char hex[65];

	(void)state;
	assert_int_equal(r.status, 0);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	assert_int_equal(json_object_array_length(jpath(root, "components")),
			 11);
	assert_string_equal(jstr(root, "components.0.name"), "sys_vendor");
	assert_string_equal(jstr(root, "components.0.value"), "QEMU");
	tl_sha256("QEMU", 4, d);
	hex_of(d, 32, hex);
	assert_string_equal(jstr(root, "components.0.digest"), hex);
	assert_true(json_object_get_boolean(jpath(root, "components.0.present")));
	assert_false(json_object_get_boolean(jpath(root, "components.3.present")));
	assert_int_equal(strlen(jstr(root, "digest")), 64);
	json_object_put(root);
	run_free(&r);
}

/* An overall digest that is not its components' is refused. */
static void test_fake_fingerprint_bad(void **state)
{
	struct run r = run_env(ENV("HROT_FAKE_FP_BAD", "1"),
			       ARGV(hrotctl_fake(), "-d", "/dev/null",
				    "fingerprint"));

	(void)state;
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_contains(r.err, "does not match its components");
	run_free(&r);
}

/* A log over the limit: said so, not read whole. */
static void test_log_too_big(void **state)
{
	const struct fixture *f = *state;
	char path[160];
	struct run r;
	int fd;

	snprintf(path, sizeof(path), "%s/huge.log", f->dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)HROT_LOG_MAX_BYTES + 1), 0);
	close(fd);
	r = run(hrotctl(), "log", "--file", path);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "larger than 64 MiB");
	run_free(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_text),
		cmocka_unit_test(test_log_json),
		cmocka_unit_test(test_log_tampered),
		cmocka_unit_test(test_log_truncated),
		cmocka_unit_test(test_replay_text),
		cmocka_unit_test(test_replay_json),
		cmocka_unit_test(test_replay_matches_tpm2_eventlog),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_no_device),
		cmocka_unit_test(test_fake_info),
		cmocka_unit_test(test_fake_measure),
		cmocka_unit_test(test_fake_extend),
		cmocka_unit_test(test_fake_errors),
		cmocka_unit_test(test_fake_measure_logged),
		cmocka_unit_test(test_fake_fingerprint_text),
		cmocka_unit_test(test_fake_fingerprint_json),
		cmocka_unit_test(test_fake_fingerprint_bad),
		cmocka_unit_test(test_log_too_big),
	};

	return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
