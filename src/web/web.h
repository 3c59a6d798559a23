/*
 * web.h - the HTML face: server-rendered pages (templates in
 * src/web/templates, assets in src/web/static). web_routes() adds every
 * page's routes and installs the HTML error page.
 */
#ifndef PARLEY_WEB_WEB_H
#define PARLEY_WEB_WEB_H

void web_routes(void);

#endif
