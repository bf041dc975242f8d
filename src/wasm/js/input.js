// `true`/`false`, or `undefined` on engines before ES2024.
export function isWellFormed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : undefined;
}
const MAX_DEPTH = 32, MAX_ITEMS = 100000;
// A plain-data copy of an argument: plain objects and arrays are copied (undefined/null-valued
// keys dropped), anything else (typed arrays, class instances, functions) is kept as it is.
export function snapshot(value) {
  const open = new Set();
  const copy = (v, depth) => {
    if (v === null || typeof v !== 'object') return v;
    const proto = Object.getPrototypeOf(v);
    const isArray = Array.isArray(v);
    if (!isArray && proto !== Object.prototype && proto !== null) return v;
    if (depth > MAX_DEPTH) throw new RangeError('nested more than ' + MAX_DEPTH + ' levels deep');
    if (open.has(v)) throw new TypeError('contains a cycle');
    open.add(v);
    let out;
    if (isArray) {
      if (v.length > MAX_ITEMS) throw new RangeError('has more than ' + MAX_ITEMS + ' items');
      out = [];
      for (let i = 0; i < v.length; i++) out.push(copy(v[i], depth + 1));
    } else {
      const keys = Object.keys(v);
      if (keys.length > MAX_ITEMS) throw new RangeError('has more than ' + MAX_ITEMS + ' keys');
      out = {};
      for (const k of keys) {
        const item = v[k];
        if (item !== undefined && item !== null) out[k] = copy(item, depth + 1);
      }
    }
    open.delete(v);
    return out;
  };
  return copy(value, 0);
}
