// SPDX-License-Identifier: GPL-2.0
/*
 * hrot_stress: concurrent EXTEND and MEASURE_FD against concurrent readers.
 *
 *   hrot_stress [-w WRITERS] [-n OPS_PER_WRITER]      (default 8 x 50)
 *
 * WRITERS threads (half share one /dev/hrot fd, half open their own) each
 * do OPS_PER_WRITER operations, alternating EXTEND (a unique description)
 * and MEASURE_FD (a file of their own).  Meanwhile:
 *   - a reader reads binary_measurements whole, over and over, and checks
 *     that every read parses as whole records (tcommon's strict parser:
 *     the Spec ID event, then records tiling the buffer exactly, each with
 *     a SHA-256 bank digest that is the SHA-256 of its event data), that
 *     the previous read is a prefix of this one, and that the number of
 *     records lies between INFO's log_entries before and after the read;
 *   - a reader does the same for ascii_measurements: whole lines only, and
 *     never fewer than before.
 * At the end: every operation succeeded, the indices returned are exactly
 * the new positions, each once, the record at each index is the one that
 * operation made, and the log holds exactly WRITERS * OPS new records.
 * One RESULT line per check.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcommon.h"

#define MAXW 64

struct op {
	int kind;		/* HROT_EVENT_EXTEND or HROT_EVENT_FILE */
	int err;		/* errno, 0 on success */
	uint64_t index;
	uint8_t digest[32];	/* MEASURE_FD's output */
	uint64_t size;
};

struct writer {
	pthread_t th;
	int id;
	int fd;
	char path[64];
	uint8_t file_sha[32];
	uint64_t file_size;
	struct op *ops;
};

static int nwriters = 8, nops = 50;
static struct writer writers[MAXW];
static pthread_barrier_t start;
static atomic_int writers_done;
static int shared_fd;
static uint64_t base;

struct reader_stats {
	unsigned long reads;
	unsigned long reads_mid;	/* saw some but not all new records */
	char err[512];			/* first error */
};
static struct reader_stats bin_stats, ascii_stats;

static void desc_of(char *buf, size_t len, int w, int i)
{
	snprintf(buf, len, "stress w%02d i%04d", w, i);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	char desc[64];
	int i;

	pthread_barrier_wait(&start);
	for (i = 0; i < nops; i++) {
		struct op *op = &w->ops[i];
		int ret;

		if ((i + w->id) % 2 == 0) {
			op->kind = HROT_EVENT_EXTEND;
			desc_of(desc, sizeof(desc), w->id, i);
			ret = t_extend(w->fd, HROT_EV_EVENT_TAG, desc,
				       strlen(desc), NULL, &op->index);
		} else {
			int ffd = open(w->path, O_RDONLY);

			op->kind = HROT_EVENT_FILE;
			ret = ffd < 0 ? -1 :
			      t_measure_fd(w->fd, ffd, op->digest, &op->size,
					   &op->index);
			if (ffd >= 0)
				close(ffd);
		}
		op->err = ret ? errno : 0;
	}
	return NULL;
}

static void *bin_reader_main(void *arg)
{
	struct reader_stats *st = arg;
	uint8_t *prev = NULL;
	size_t prev_len = 0, prev_nrec = 0;
	uint64_t final = base + (uint64_t)nwriters * nops;
	int fd = open(HROT_DEV_PATH, O_RDWR), last = 0;

	pthread_barrier_wait(&start);
	while (!last) {
		struct hrot_info i0, i1;
		struct t_log lg;
		char err[256];
		uint8_t *buf;
		size_t len;

		/* one more full pass after the writers are done */
		last = atomic_load(&writers_done);
		if (t_info(fd, &i0)) {
			snprintf(st->err, sizeof(st->err), "INFO: %s",
				 strerror(errno));
			break;
		}
		buf = t_read_all(HROT_BIN_LOG, &len);
		if (!buf) {
			snprintf(st->err, sizeof(st->err), "read: %s",
				 strerror(errno));
			break;
		}
		t_info(fd, &i1);
		st->reads++;
		if (t_log_parse(&lg, buf, len, err, sizeof(err))) {
			snprintf(st->err, sizeof(st->err),
				 "read %lu (%zu bytes): %s", st->reads, len, err);
			free(buf);
			break;
		}
		if (lg.nrec < prev_nrec || len < prev_len ||
		    memcmp(prev, buf, prev_len)) {
			snprintf(st->err, sizeof(st->err),
				 "read %lu: %zu records/%zu bytes, the previous read had %zu/%zu and is not a prefix",
				 st->reads, lg.nrec, len, prev_nrec, prev_len);
			t_log_free(&lg);
			free(buf);
			break;
		}
		if (lg.nrec < i0.log_entries || lg.nrec > i1.log_entries) {
			snprintf(st->err, sizeof(st->err),
				 "read %lu: %zu records, INFO said %llu before and %llu after",
				 st->reads, lg.nrec,
				 (unsigned long long)i0.log_entries,
				 (unsigned long long)i1.log_entries);
			t_log_free(&lg);
			free(buf);
			break;
		}
		if (lg.nrec > base && lg.nrec < final)
			st->reads_mid++;
		free(prev);
		prev = buf;
		prev_len = len;
		prev_nrec = lg.nrec;
		t_log_free(&lg);
	}
	free(prev);
	close(fd);
	return NULL;
}

static void *ascii_reader_main(void *arg)
{
	struct reader_stats *st = arg;
	size_t prev_lines = 0;
	int last = 0;

	pthread_barrier_wait(&start);
	while (!last) {
		size_t len, lines = 0, k;
		uint8_t *buf;

		last = atomic_load(&writers_done);
		buf = t_read_all(HROT_ASCII_LOG, &len);
		if (!buf) {
			snprintf(st->err, sizeof(st->err), "read: %s",
				 strerror(errno));
			break;
		}
		st->reads++;
		for (k = 0; k < len; k++)
			lines += buf[k] == '\n';
		if (len && buf[len - 1] != '\n') {
			snprintf(st->err, sizeof(st->err),
				 "read %lu: %zu bytes ending in a partial line",
				 st->reads, len);
			free(buf);
			break;
		}
		if (lines < prev_lines) {
			snprintf(st->err, sizeof(st->err),
				 "read %lu: %zu lines, the read before had %zu",
				 st->reads, lines, prev_lines);
			free(buf);
			break;
		}
		prev_lines = lines;
		free(buf);
	}
	return NULL;
}

static int make_file(struct writer *w)
{
	size_t size = 3000 + (size_t)w->id * 5000, k;
	uint8_t *buf = malloc(size);
	int fd;

	if (!buf)
		return -1;
	for (k = 0; k < size; k++)
		buf[k] = (uint8_t)(k * 31 + w->id * 17 + (k >> 9));
	snprintf(w->path, sizeof(w->path), "/tmp/hrot_stress_%02d.bin", w->id);
	fd = open(w->path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || t_write_all(fd, buf, size)) {
		free(buf);
		return -1;
	}
	close(fd);
	t_sha256(buf, size, w->file_sha);
	w->file_size = size;
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t rb, ra;
	struct hrot_info info;
	struct t_log lg;
	char err[256], desc[64], h1[65], h2[65];
	uint8_t *buf, *seen;
	size_t len, total;
	int opt, w, i, errors = 0, badidx = 0, badrec = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "w:n:")) != -1) {
		if (opt == 'w')
			nwriters = atoi(optarg);
		else if (opt == 'n')
			nops = atoi(optarg);
		else
			return 2;
	}
	if (nwriters < 1 || nwriters > MAXW || nops < 1) {
		fprintf(stderr, "hrot_stress: bad -w/-n\n");
		return 2;
	}
	total = (size_t)nwriters * (size_t)nops;

	shared_fd = open(HROT_DEV_PATH, O_RDWR);
	if (shared_fd < 0 || t_info(shared_fd, &info)) {
		t_fail("stress_setup", "%s: %s", HROT_DEV_PATH, strerror(errno));
		return 1;
	}
	base = info.log_entries;
	for (w = 0; w < nwriters; w++) {
		writers[w].id = w;
		writers[w].fd = (w % 2) ? open(HROT_DEV_PATH, O_RDWR) : shared_fd;
		writers[w].ops = calloc((size_t)nops, sizeof(struct op));
		if (writers[w].fd < 0 || !writers[w].ops || make_file(&writers[w])) {
			t_fail("stress_setup", "writer %d: %s", w, strerror(errno));
			return 1;
		}
	}

	pthread_barrier_init(&start, NULL, (unsigned)nwriters + 2);
	pthread_create(&rb, NULL, bin_reader_main, &bin_stats);
	pthread_create(&ra, NULL, ascii_reader_main, &ascii_stats);
	for (w = 0; w < nwriters; w++)
		pthread_create(&writers[w].th, NULL, writer_main, &writers[w]);
	for (w = 0; w < nwriters; w++)
		pthread_join(writers[w].th, NULL);
	atomic_store(&writers_done, 1);
	pthread_join(rb, NULL);
	pthread_join(ra, NULL);

	/* every operation succeeded, MEASURE_FD returned the right digest */
	for (w = 0; w < nwriters; w++) {
		for (i = 0; i < nops; i++) {
			struct op *op = &writers[w].ops[i];

			if (op->err) {
				if (!errors++)
					t_fail("stress_all_ioctls_succeed",
					       "writer %d op %d: %s", w, i,
					       strerror(op->err));
			} else if (op->kind == HROT_EVENT_FILE &&
				   (memcmp(op->digest, writers[w].file_sha, 32) ||
				    op->size != writers[w].file_size)) {
				if (!errors++)
					t_fail("stress_all_ioctls_succeed",
					       "writer %d op %d: MEASURE_FD gave %s/%llu, want %s/%llu",
					       w, i, t_hex(op->digest, 32, h1),
					       (unsigned long long)op->size,
					       t_hex(writers[w].file_sha, 32, h2),
					       (unsigned long long)writers[w].file_size);
			}
		}
	}
	if (!errors)
		t_pass("stress_all_ioctls_succeed");

	/* indices: exactly base..base+total-1, each once */
	seen = calloc(total, 1);
	for (w = 0; w < nwriters && seen; w++) {
		for (i = 0; i < nops; i++) {
			struct op *op = &writers[w].ops[i];

			if (op->err)
				continue;
			if (op->index < base || op->index >= base + total ||
			    seen[op->index - base]++)
				badidx++;
		}
	}
	t_check(seen && !badidx && !errors, "stress_indices_unique",
		"%d indices out of range or repeated", badidx);
	free(seen);

	t_check(!bin_stats.err[0] && bin_stats.reads > 0,
		"stress_reader_never_torn", "%s",
		bin_stats.err[0] ? bin_stats.err : "no read done");
	printf("INFO binary reads=%lu mid_run_reads=%lu\n", bin_stats.reads,
	       bin_stats.reads_mid);
	t_check(bin_stats.reads_mid > 0, "stress_reader_raced_writers",
		"no read happened while the writers ran (%lu reads)",
		bin_stats.reads);
	t_check(!ascii_stats.err[0] && ascii_stats.reads > 0,
		"stress_ascii_reader_whole_lines", "%s",
		ascii_stats.err[0] ? ascii_stats.err : "no read done");

	/* the final log */
	buf = t_read_all(HROT_BIN_LOG, &len);
	if (!buf || t_log_parse(&lg, buf, len, err, sizeof(err))) {
		t_fail("stress_final_log_valid", "%s",
		       buf ? err : strerror(errno));
		return 1;
	}
	t_pass("stress_final_log_valid");
	t_info(shared_fd, &info);
	t_check(lg.nrec == base + total && info.log_entries == base + total &&
		info.log_bytes == len, "stress_record_count",
		"log has %zu records (+ Spec ID), INFO %llu entries/%llu bytes, file %zu bytes; want %llu records",
		lg.nrec, (unsigned long long)info.log_entries,
		(unsigned long long)info.log_bytes, len,
		(unsigned long long)(base + total));
	printf("INFO records_with_spec_id=%zu\n", lg.nrec + 1);

	/* each index holds the record its operation made */
	for (w = 0; w < nwriters; w++) {
		for (i = 0; i < nops; i++) {
			struct op *op = &writers[w].ops[i];
			const struct t_rec *r;
			uint8_t d[32];

			if (op->err || op->index >= lg.nrec)
				continue;
			r = &lg.recs[op->index];
			if (r->pcr != info.pcr_index || r->kind != op->kind) {
				if (!badrec++)
					t_fail("stress_records_match",
					       "index %llu: pcr %u kind %u, want %u/%d",
					       (unsigned long long)op->index,
					       r->pcr, r->kind, info.pcr_index,
					       op->kind);
				continue;
			}
			if (op->kind == HROT_EVENT_EXTEND) {
				desc_of(desc, sizeof(desc), w, i);
				t_sha256(desc, strlen(desc), d);
				if (r->name_len != strlen(desc) ||
				    memcmp(r->name, desc, r->name_len) ||
				    memcmp(r->content, d, 32)) {
					if (!badrec++)
						t_fail("stress_records_match",
						       "index %llu is '%.*s', want '%s'",
						       (unsigned long long)op->index,
						       (int)r->name_len, r->name,
						       desc);
				}
			} else if (r->name_len != strlen(writers[w].path) ||
				   memcmp(r->name, writers[w].path, r->name_len) ||
				   memcmp(r->content, writers[w].file_sha, 32) ||
				   r->file_size != writers[w].file_size) {
				if (!badrec++)
					t_fail("stress_records_match",
					       "index %llu is '%.*s' %s, want '%s' %s",
					       (unsigned long long)op->index,
					       (int)r->name_len, r->name,
					       t_hex(r->content, 32, h1),
					       writers[w].path,
					       t_hex(writers[w].file_sha, 32, h2));
			}
		}
	}
	if (!badrec)
		t_pass("stress_records_match");

	for (w = 0; w < nwriters; w++)
		unlink(writers[w].path);
	t_log_free(&lg);
	free(buf);
	printf("SUMMARY passed=%d failed=%d\n", t_passes, t_failures);
	return t_failures ? 1 : 0;
}
