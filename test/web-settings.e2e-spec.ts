import { webAppSettings } from '../apps/api/src/web/web-app';
import { embeddedApi } from './support/api-harness';

/**
 * What the web app learns of the deployment before it draws a map: the tiles it may load and
 * whom they credit, without sign-in, cacheable for a few minutes.
 */
describe('the web app settings (GET /api/web-settings)', () => {
  describe('with a tile server of its own', () => {
    const { http } = embeddedApi({
      SAMVERKAN_MAP_TILE_URL: 'https://tiles.example.se/{z}/{x}/{y}.png',
      SAMVERKAN_MAP_ATTRIBUTION: '© Hammarö kommun',
      SAMVERKAN_MAP_ATTRIBUTION_URL: 'https://www.hammaro.se/karta',
    });

    it('names the tiles and their credit, to anyone, cacheable for a short time', async () => {
      const res = await http().get('/api/web-settings').expect(200);
      expect(res.body).toEqual({
        mapTiles: {
          urlTemplate: 'https://tiles.example.se/{z}/{x}/{y}.png',
          attribution: { text: '© Hammarö kommun', url: 'https://www.hammaro.se/karta' },
        },
      });
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      // The same origin the app's Content Security Policy allows images from.
      const page = await http().get('/lagesbild');
      expect(page.headers['content-security-policy']).toContain(
        "img-src 'self' data: https://tiles.example.se",
      );
    });
  });

  describe('without tiles', () => {
    const { http } = embeddedApi({ SAMVERKAN_MAP_TILE_URL: 'none' });

    it('says there are none, so maps are drawn on a plain background', async () => {
      const res = await http().get('/api/web-settings').expect(200);
      expect(res.body).toEqual({ mapTiles: null });
    });
  });

  it("defaults to OpenStreetMap's tiles, credited to its contributors with a link to the licence", () => {
    expect(webAppSettings({}).mapTiles).toEqual({
      urlTemplate: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      attribution: {
        text: '© OpenStreetMap-bidragsgivare',
        url: 'https://www.openstreetmap.org/copyright',
      },
    });
    expect(
      webAppSettings({ SAMVERKAN_MAP_ATTRIBUTION_URL: 'none' }).mapTiles?.attribution.url,
    ).toBeNull();
    expect(() => webAppSettings({ SAMVERKAN_MAP_ATTRIBUTION_URL: 'javascript:alert(1)' })).toThrow(
      /SAMVERKAN_MAP_ATTRIBUTION_URL/,
    );
  });
});
