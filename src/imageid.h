/*
 * imageid.h - which image a name stands for now: the engine's id of each
 * local image, so that anything keyed by an image (the build cache) sees
 * a rebuilt image as the new image it is. The worker lists the images once
 * for all its judges (and again every IMAGEID_REFRESH_MS); a judge started
 * alone lists them itself, once, the first time it asks.
 */
#ifndef SCRC_IMAGEID_H
#define SCRC_IMAGEID_H

#include <stddef.h>

/* The worker's listing, handed to its judges: "NAME=ID NAME=ID ...". */
#define IMAGEID_ENV		"SCRC_IMAGE_IDS"
#define IMAGEID_REFRESH_MS	30000

/*
 * The id of image name ("sha256:..."; a name pinned by digest is its own
 * id), or NULL when no such image is known. From IMAGEID_ENV when set,
 * else from one listing made on the first call. Not to be freed.
 */
const char	*imageid_get(const char *name);

/*
 * Lists the local images with one CLI call. Returns IMAGEID_ENV's value
 * (malloc'ed; "" when there is no image), or NULL with errstr when the
 * engine could not be asked.
 */
char		*imageid_list(char *errstr, size_t errstr_size);

/* Forgets what imageid_get learnt (tests; a worker refreshing its own view). */
void		 imageid_reset(void);

#endif
