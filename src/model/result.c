/*
 * result.c - the one helper of result.h: a refusal with its message.
 */
#include "model/result.h"

#include <stdio.h>

enum mresult mresult_fail(char *err, size_t errlen, enum mresult r, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return r;
}
