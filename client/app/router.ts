import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Route = 'phone' | 'journal' | 'settings';
export const ROUTES: readonly Route[] = ['phone', 'journal', 'settings'];

/** "#/journal" → 'journal'; anything unknown is the phone. */
export function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return ROUTES.find((r) => r === name) ?? 'phone';
}

/** Follows location.hash; links are plain `<a href="#/journal">`. */
export class RouteController implements ReactiveController {
  route: Route = routeOf(location.hash);
  private readonly onHash = (): void => {
    this.route = routeOf(location.hash);
    this.host.requestUpdate();
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  go(route: Route): void {
    this.route = route;
    if (routeOf(location.hash) !== route) location.hash = `#/${route}`;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    window.addEventListener('hashchange', this.onHash);
    this.onHash();
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHash);
  }
}
