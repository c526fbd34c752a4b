// Keeps a container's children in step with a list of items, rebuilding only
// an item whose key changed: a message list re-renders without losing what
// is typed into a card, or the scroll position.

export interface Item {
  id: string;
  key: string;
  make: () => HTMLElement;
}

export class KeyedList {
  private rendered = new Map<string, { key: string; node: HTMLElement }>();

  constructor(readonly container: HTMLElement) {}

  update(items: Item[]): void {
    const wanted = new Set(items.map((i) => i.id));
    for (const [id, r] of this.rendered) {
      if (!wanted.has(id)) {
        r.node.remove();
        this.rendered.delete(id);
      }
    }
    let previous: HTMLElement | null = null;
    for (const item of items) {
      let r = this.rendered.get(item.id);
      if (!r || r.key !== item.key) {
        const node = item.make();
        node.dataset.id = item.id;
        if (r) r.node.replaceWith(node);
        r = { key: item.key, node };
        this.rendered.set(item.id, r);
      }
      const expected: ChildNode | null = previous ? previous.nextSibling : this.container.firstChild;
      if (expected !== r.node) this.container.insertBefore(r.node, expected);
      previous = r.node;
    }
  }
}
