// SPDX-License-Identifier: GPL-2.0
/*
 * api_routes.c - the endpoints of Documentation/protocol.md and who may
 * call them.  Prefix routes end with '/'; exact ones come first where a
 * prefix would also match.
 */
#include "api.h"

const struct http_route api_routes[] = {
	{ "POST", "/v1/register", TLS_ROLE_NONE, api_register },
	{ "POST", "/v1/activate", TLS_ROLE_NONE, api_activate },
	{ "POST", "/v1/challenge", TLS_ROLE_NONE, api_challenge },
	{ "POST", "/v1/physical", TLS_ROLE_NONE, api_physical },
	{ "POST", "/v1/attest", TLS_ROLE_NONE, api_attest },
	{ "GET", "/v1/revocations", TLS_ROLE_NONE, api_revocations },
	{ "GET", "/v1/admin/devices", TLS_ROLE_OPERATOR, api_admin_devices },
	{ "GET", "/v1/admin/devices/", TLS_ROLE_OPERATOR, api_admin_device_get },
	{ "POST", "/v1/admin/devices/", TLS_ROLE_OPERATOR,
	  api_admin_device_post },
	{ "POST", "/v1/admin/tokens/", TLS_ROLE_OPERATOR, api_admin_token_post },
	{ "GET", "/v1/admin/policies", TLS_ROLE_OPERATOR,
	  api_admin_policies_get },
	{ "POST", "/v1/admin/policies", TLS_ROLE_OPERATOR,
	  api_admin_policies_post },
	{ "GET", "/v1/admin/audit", TLS_ROLE_OPERATOR, api_admin_audit },
	{ "POST", "/v1/admin/prune", TLS_ROLE_OPERATOR, api_admin_prune },
	{ "POST", "/v1/admin/instances", TLS_ROLE_OPERATOR,
	  api_admin_instances_post },
	{ "GET", "/metrics", TLS_ROLE_OPERATOR, api_metrics },
};

const size_t api_nr_routes = sizeof(api_routes) / sizeof(api_routes[0]);

int api_worker_init(void *app, void **local)
{
	struct verifierd *v = app;

	return store_reader_open(v->store, (struct store_reader **)local);
}

void api_worker_fini(void *app, void *local)
{
	(void)app;
	store_reader_close(local);
}
