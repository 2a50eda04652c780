/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: replaying an event log into the PCR values it predicts.
 */
#ifndef HROT_REPLAY_H
#define HROT_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <hrot/alg.h>
#include <hrot/eventlog.h>

/* Whether a bank's replayed value can be trusted. */
enum hrot_replay_status {
	HROT_REPLAY_OK,			/* every record extended it */
	HROT_REPLAY_UNSUPPORTED,	/* no libhrot/OpenSSL algorithm */
	HROT_REPLAY_INCOMPLETE,		/* a record had no digest for it */
};

/**
 * struct hrot_replay_bank - one bank of one PCR
 * @alg:    TPM_ALG_ID
 * @size:   digest size
 * @status: whether @value means anything
 * @value:  the PCR value, @size bytes
 */
struct hrot_replay_bank {
	uint16_t alg;
	uint16_t size;
	enum hrot_replay_status status;
	uint8_t value[HROT_MAX_DIGEST_SIZE];
};

/**
 * struct hrot_replay_pcr - one PCR the log extends
 * @pcr:   its index
 * @banks: struct hrot_replay.nr_banks of them, in the log's bank order
 */
struct hrot_replay_pcr {
	uint32_t pcr;
	struct hrot_replay_bank *banks;
};

/**
 * struct hrot_replay - the PCR values a log predicts
 * @nr_banks: banks per PCR (the Spec ID event's algorithms)
 * @nr_pcrs:  PCRs extended by at least one record
 * @pcrs:     them, by ascending index
 */
struct hrot_replay {
	uint32_t nr_banks;
	size_t nr_pcrs;
	struct hrot_replay_pcr *pcrs;
	/* private */
	struct hrot_replay_bank *bank_pool;
};

/**
 * hrot_log_replay() - compute every PCR the log extends, in every bank
 * @log: a parsed log
 * @out: on success, to release with hrot_replay_free()
 *
 * Every PCR starts at zero; each record that is not EV_NO_ACTION extends
 * its PCR in each bank with its digest for that bank, as TPM2_PCR_Extend.
 * (Firmware logs that start PCR 0 at a locality other than 0 are not
 * modelled: hrot logs never extend PCR 0.)
 *
 * Return: 0, -ENOMEM, -EIO when OpenSSL fails.
 */
int hrot_log_replay(const struct hrot_log *log, struct hrot_replay **out);

void hrot_replay_free(struct hrot_replay *replay);

/* The entry of PCR @pcr, or NULL when the log does not extend it. */
const struct hrot_replay_pcr *hrot_replay_find(const struct hrot_replay *replay,
					       uint32_t pcr);

#endif /* HROT_REPLAY_H */
