// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock seal-image IN OUT (seed 001): not available yet.
 *
 * Sealing an image for a VM that does not exist yet needs an instance
 * (metadata and volume secret) before the device: the verifier protocol
 * has no operator call that creates one (Documentation/unlock.md, "Sealing
 * an image").  Refusing is the honest answer until it does: an image
 * bound to an invented instance would never unlock.
 */
#include "cli.h"

int cmd_seal_image(struct unlock_opts *o)
{
	(void)o;
	cli_error("seal-image: the verifier cannot yet create an instance for a future device (see Documentation/unlock.md, \"Sealing an image\")");
	return UNLOCK_EXIT_FAILED;
}
