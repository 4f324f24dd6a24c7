/** What each route carries in `handle`: its breadcrumb trail (translation keys). */
export interface RouteHandle {
  crumbs: string[];
}
