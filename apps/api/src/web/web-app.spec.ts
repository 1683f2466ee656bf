import { webAppSettings } from './web-app';

/** The map tiles the web app may draw on, and whom they credit (GET /api/web-settings). */
describe('the web app settings', () => {
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
  });

  it('has no tiles with "none", so maps are drawn on a plain background', () => {
    expect(webAppSettings({ SAMVERKAN_MAP_TILE_URL: 'none' }).mapTiles).toBeNull();
  });

  it('refuses a tile server or a credit link that is not https', () => {
    expect(() => webAppSettings({ SAMVERKAN_MAP_ATTRIBUTION_URL: 'javascript:alert(1)' })).toThrow(
      /SAMVERKAN_MAP_ATTRIBUTION_URL/,
    );
    expect(() => webAppSettings({ SAMVERKAN_MAP_TILE_URL: 'http://tiles.example.se/{z}' })).toThrow(
      /SAMVERKAN_MAP_TILE_URL/,
    );
  });
});
