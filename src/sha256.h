/*
 * sha256.h - SHA-256 (FIPS 180-4), for naming cached builds by their
 * content (progcache.c). Incremental: init, any number of updates, final.
 */
#ifndef SCRC_SHA256_H
#define SCRC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	total;		/* bytes hashed so far */
	unsigned char	block[64];	/* the part of a block not yet compressed */
	size_t		fill;
};

void	sha256_init(struct sha256 *s);
void	sha256_update(struct sha256 *s, const void *data, size_t len);
/* Finishes the hash into out (32 bytes) and hex (65: 64 digits + NUL). */
void	sha256_final(struct sha256 *s, unsigned char out[32], char hex[65]);

#endif
