/**
 * jsdom has no layout: gives every scroll area a height for the suite, so the virtualized trace
 * list renders rows. Test-only helper; call it at the top of a test file.
 */
export function giveScrollAreasHeight(height = 560) {
  let spy: jest.SpyInstance;
  beforeAll(() => {
    spy = jest
      .spyOn(HTMLElement.prototype, 'clientHeight', 'get')
      .mockReturnValue(height);
  });
  afterAll(() => spy.mockRestore());
}
