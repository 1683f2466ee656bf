import { useEffect, useRef, useState } from 'react';
import type * as Leaflet from 'leaflet';
import { api } from '../api';
import type { Position } from '../geo';
import { useI18n } from '../i18n';
import '../styles/place-map.css';

/** A place as the map draws it: the register's position, exact or placed by hand. */
export interface MapPlace {
  readonly placeId: string;
  readonly name: string;
  readonly position: Position & { readonly precision: 'approximate' | 'surveyed' };
}

/** How one place is drawn: a CSS modifier (its colour and shape) and the text in its marker. */
export interface PlaceStyle {
  /** Added to the marker's class as `place-marker--<variant>`. */
  readonly variant?: string;
  /** A short text in the marker (a count, a symbol): never the colour alone. */
  readonly label?: string;
  /** What the marker says to a screen reader and as its tooltip; the name by default. */
  readonly description?: string;
}

interface MapTiles {
  readonly urlTemplate: string;
  readonly attribution: { readonly text: string; readonly url: string | null };
}

let settings: Promise<MapTiles | null> | undefined;

/** The deployment's tiles, asked once per page load; none when the answer does not come. */
function mapTiles(): Promise<MapTiles | null> {
  settings ??= api<{ mapTiles: MapTiles | null }>('/web-settings').then(
    (s) => s.mapTiles,
    () => null,
  );
  return settings;
}

/** How far a hand-placed position may be off: the dashed circle drawn around it. */
const APPROXIMATE_METRES = 150;

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * A map of places (Leaflet, loaded only when a map is shown): each place a marker with its
 * label, a hand-placed one inside a dashed circle showing how far off it may be. The tiles are
 * the deployment's (GET /api/web-settings); with none, or none reachable, the places are drawn
 * on a plain background and a note says so. A map is never the only way to a place: a page
 * shows the same places as a list beside it.
 */
export function PlaceMap({
  places,
  styleOf,
  selectedPlaceId,
  onSelectPlace,
  onPickPoint,
  keyboardMarkers = true,
  label,
  className,
}: {
  places: readonly MapPlace[];
  styleOf?: (place: MapPlace) => PlaceStyle;
  selectedPlaceId?: string;
  onSelectPlace?: (placeId: string) => void;
  /** A tapped point of the map (not a marker), for a page that snaps it to the nearest place. */
  onPickPoint?: (position: Position) => void;
  /**
   * False where the page's list beside the map is the way to a place for the keyboard: the
   * markers are then no tab stops, so a keyboard user does not tab through every place to reach
   * the list (the residents' form).
   */
  keyboardMarkers?: boolean;
  /** The map's name for a screen reader (`role="region"`). */
  label: string;
  className?: string;
}) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const [leaflet, setLeaflet] = useState<{ L: typeof Leaflet; map: Leaflet.Map } | undefined>();
  const [plain, setPlain] = useState(false);
  const [failed, setFailed] = useState(false);
  const layer = useRef<Leaflet.LayerGroup | undefined>(undefined);
  const fitted = useRef('');
  const drawn = useRef('');
  const handlers = useRef({ onSelectPlace, onPickPoint });
  useEffect(() => {
    handlers.current = { onSelectPlace, onPickPoint };
  });

  // Leaflet and its stylesheet, and the tile settings, once the map is shown.
  useEffect(() => {
    let gone = false;
    let map: Leaflet.Map | undefined;
    Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css'), mapTiles()])
      .then(([module, , tiles]) => {
        if (gone || !box.current) return;
        const L = (module as { default?: typeof Leaflet }).default ?? module;
        map = L.map(box.current, {
          attributionControl: true,
          zoomSnap: 0.5,
          // No animation: nothing moves that a user did not move (and nothing is left running
          // when the page redraws or leaves).
          zoomAnimation: false,
          fadeAnimation: false,
          markerZoomAnimation: false,
          center: [59.32, 13.47],
          zoom: 12,
          keyboard: keyboardMarkers,
        });
        map.attributionControl.setPrefix(false);
        if (tiles) {
          const credit = tiles.attribution.url
            ? `<a href="${escape(tiles.attribution.url)}" rel="noopener">${escape(tiles.attribution.text)}</a>`
            : escape(tiles.attribution.text);
          let errors = 0;
          L.tileLayer(tiles.urlTemplate, { attribution: credit, maxZoom: 19 })
            .on('tileerror', () => {
              // One missing tile is a gap; the first few failing say the server is out of reach.
              if (++errors >= 3) setPlain(true);
            })
            .on('tileload', () => {
              errors = 0;
            })
            .addTo(map);
        } else {
          setPlain(true);
        }
        map.on('click', (e: Leaflet.LeafletMouseEvent) =>
          handlers.current.onPickPoint?.({ latitude: e.latlng.lat, longitude: e.latlng.lng }),
        );
        layer.current = L.layerGroup().addTo(map);
        setLeaflet({ L, map });
      })
      .catch(() => {
        if (!gone) setFailed(true);
      });
    return () => {
      gone = true;
      map?.remove();
      layer.current = undefined;
      drawn.current = '';
    };
    // Made once: a page that changes whether its markers take focus makes a new map (a key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The places, redrawn when they, their styles or the selection change.
  useEffect(() => {
    if (!leaflet || !layer.current) return;
    const { L, map } = leaflet;
    const group = layer.current;
    const styles = places.map((place) => styleOf?.(place) ?? {});
    // Redrawn only when what is drawn changes (a page's styleOf may be new on every render): a
    // marker with focus keeps it while the user types elsewhere on the page.
    const signature = JSON.stringify([places, styles, selectedPlaceId, keyboardMarkers]);
    if (signature === drawn.current) return;
    drawn.current = signature;
    group.clearLayers();
    for (const [index, place] of places.entries()) {
      const style = styles[index]!;
      const at: Leaflet.LatLngExpression = [place.position.latitude, place.position.longitude];
      const approximate = place.position.precision === 'approximate';
      const selected = place.placeId === selectedPlaceId;
      const variant = style.variant ? ` place-marker--${style.variant}` : '';
      if (approximate) {
        L.circle(at, {
          radius: APPROXIMATE_METRES,
          className: `place-map__approximate${variant}${selected ? ' place-map__approximate--selected' : ''}`,
          dashArray: '6 6',
          interactive: false,
        }).addTo(group);
      }
      const description = style.description ?? place.name;
      const marker = L.marker(at, {
        title: description,
        alt: description,
        keyboard: keyboardMarkers,
        riseOnHover: true,
        zIndexOffset: selected ? 1000 : 0,
        icon: L.divIcon({
          className: `place-marker${variant}${approximate ? ' place-marker--approximate' : ''}${selected ? ' place-marker--selected' : ''}`,
          html: `<span class="place-marker__label" aria-hidden="true">${escape(style.label ?? '')}</span>`,
          iconSize: [32, 32],
          iconAnchor: [16, 16],
        }),
      });
      marker.on('click', () => handlers.current.onSelectPlace?.(place.placeId));
      marker.on('add', () => {
        const element = marker.getElement();
        element?.setAttribute('data-place-id', place.placeId);
        if (!keyboardMarkers) {
          // Not a control for the keyboard or a screen reader: the page's list is.
          element?.setAttribute('aria-hidden', 'true');
          return;
        }
        element?.setAttribute('aria-label', description);
        if (selected) element?.setAttribute('aria-pressed', 'true');
      });
      marker.addTo(group);
    }
    // Fitted to the places when they change, not when only the selection does.
    const key = places.map((p) => p.placeId).join('|');
    if (key !== fitted.current && places.length > 0) {
      fitted.current = key;
      map.fitBounds(
        L.latLngBounds(places.map((p) => [p.position.latitude, p.position.longitude])),
        { padding: [40, 40], maxZoom: 15, animate: false },
      );
    }
  }, [leaflet, places, styleOf, selectedPlaceId, keyboardMarkers]);

  return (
    <div className={`place-map${plain ? ' place-map--plain' : ''} ${className ?? ''}`}>
      <div ref={box} className="place-map__canvas" role="region" aria-label={label} />
      {(plain || failed) && (
        <p className="place-map__note" role="note">
          {failed ? t('situation.mapFailed') : t('situation.mapNoTiles')}
        </p>
      )}
    </div>
  );
}
