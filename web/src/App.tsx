/** Top navigation and the page for the current `location.hash`. */
import { CrmPage } from './pages/CrmPage';
import { MesPage } from './pages/MesPage';
import { OpsPage } from './pages/OpsPage';
import { JourneyPage } from './pages/ops/JourneyPage';
import { ShopPage } from './pages/ShopPage';
import { TrackingPage } from './pages/TrackingPage';
import { trackHash, useHashRoute, type Route } from './lib/router';
import { readStored, STORAGE_KEYS } from './lib/storage';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'shop':
      return <ShopPage />;
    case 'track':
      return <TrackingPage key={route.orderId ?? ''} orderId={route.orderId} />;
    case 'crm':
      return <CrmPage />;
    case 'mes':
      return <MesPage view={route.view} query={route.query} />;
    case 'ops':
      return route.orderId ? <JourneyPage key={route.orderId} orderId={route.orderId} /> : <OpsPage />;
    case 'not-found':
      return (
        <section className="panel">
          <h2>Page not found</h2>
          <p>
            There is nothing at <code>{route.path}</code>. <a href="#/">Back to the shop</a>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useHashRoute();
  const lastOrderId = readStored(STORAGE_KEYS.lastOrderId);
  const links = [
    { page: 'shop', href: '#/', label: 'Shop' },
    { page: 'track', href: lastOrderId ? trackHash(lastOrderId) : '#/track', label: 'Track order' },
    { page: 'crm', href: '#/crm', label: 'Seller (CRM)' },
    { page: 'mes', href: '#/mes', label: 'Operator (MES)' },
    { page: 'ops', href: '#/ops', label: 'Operations' },
  ] as const;

  return (
    <>
      <header className="topbar">
        <a className="brand" href="#/">
          Atelier
        </a>
        <nav aria-label="Main">
          {links.map((link) => (
            <a
              key={link.page}
              href={link.href}
              data-testid={`nav-${link.page}`}
              aria-current={route.page === link.page ? 'page' : undefined}
            >
              {link.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
