import type { Virtualizer } from '@tanstack/react-virtual';
import { observeScrollEveryFrame } from './observeScrollEveryFrame';

describe('observeScrollEveryFrame', () => {
  let frames: Array<FrameRequestCallback | undefined>;
  beforeEach(() => {
    frames = [];
    jest
      .spyOn(window, 'requestAnimationFrame')
      .mockImplementation(cb => frames.push(cb));
    jest.spyOn(window, 'cancelAnimationFrame').mockImplementation(id => {
      frames[id - 1] = undefined;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  /** Runs the callbacks requested so far (one animation frame). */
  const runFrame = () => {
    const now = frames.splice(0);
    now.forEach(cb => cb?.(0));
  };

  function setup() {
    const element = document.createElement('div');
    let top = 0;
    Object.defineProperty(element, 'scrollTop', {
      get: () => top,
      set: (v: number) => {
        top = v;
      },
    });
    const instance = {
      scrollElement: element,
      targetWindow: window,
      options: { useScrollendEvent: true, isScrollingResetDelay: 150 },
    } as unknown as Virtualizer<HTMLDivElement, Element>;
    const seen: Array<[number, boolean]> = [];
    const stop = observeScrollEveryFrame(instance, (offset, scrolling) =>
      seen.push([offset, scrolling]),
    );
    const scrollTo = (v: number) => {
      top = v;
      element.dispatchEvent(new Event('scroll'));
    };
    return { element, seen, stop, scrollTo, set: (v: number) => (top = v) };
  }

  it('passes scroll events on, as react-virtual does', () => {
    const { seen, scrollTo } = setup();
    scrollTo(280);
    expect(seen).toEqual([[280, true]]);
  });

  it('sees a position set during an animation frame in that frame, before its scroll event', () => {
    const { seen, scrollTo, set } = setup();
    scrollTo(280);
    // Script moves the list inside the next frame, after the scroll events were dispatched.
    set(14_000);
    runFrame();
    expect(seen).toEqual([
      [280, true],
      [14_000, true],
    ]);
    // Its scroll event follows in the next frame: the same position, nothing new.
    scrollTo(14_000);
    runFrame();
    expect(seen.at(-1)).toEqual([14_000, true]);
    expect(seen.filter(([offset]) => offset === 14_000)).toHaveLength(2);
  });

  it('stops looking once the list has not moved for a while, and on cleanup', () => {
    const { seen, scrollTo, stop } = setup();
    scrollTo(100);
    for (let i = 0; i < 40; i++) runFrame();
    expect(frames).toHaveLength(0);
    scrollTo(200);
    expect(frames).toHaveLength(1);
    stop?.();
    expect(frames.filter(Boolean)).toHaveLength(0);
    expect(seen).toEqual([
      [100, true],
      [200, true],
    ]);
  });
});
