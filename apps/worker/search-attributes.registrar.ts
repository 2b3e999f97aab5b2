/**
 * Registers tminus's custom search attributes through the operator API, idempotently: only the missing ones
 * are added, and "already exists" from a concurrent registration is fine. The dev server gets the same
 * attributes from its --search-attribute flags; Temporal Cloud needs them added through its own console.
 */
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../libs/contracts';
import { temporal } from '@temporalio/proto';

const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
  options: { listFirst?: boolean } = {},
): Promise<string[]> {
  let known = new Set<string>();
  if (options.listFirst !== false) {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set(Object.keys(existing.customAttributes ?? {}));
  }
  const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPE[key.type]])),
    });
  } catch (err) {
    if (!/already exists/i.test(String(err))) throw err;
  }
  return missing.map((key) => key.name);
}
