/** numeric and money as Debezium maps them under decimal.handling.mode (precise, double, string). */
import { SchemaBuilder, Struct, BigDecimal, bigintToTwosComplement } from '../../sdk/data.ts';
import { SemanticTypes } from '../shared/debezium/index.ts';
import { type MappingSettings, type TypeMapping, simple } from './type-mapping-model.ts';

export function numericMapping(typmod: number, s: MappingSettings): TypeMapping {
  if (s.decimalMode === 'double')
    return simple(
      () => SchemaBuilder.float64(),
      (t) => Number(t === 'Infinity' ? Infinity : t === '-Infinity' ? -Infinity : t),
      0,
    );
  if (s.decimalMode === 'string') {
    // Defaults are written as declared ('1.5' for numeric(10,3)); Debezium prints them with the column's scale.
    const scale = typmod >= 4 ? (typmod - 4) & 0xffff : -1;
    return simple(
      () => SchemaBuilder.string(),
      (t) =>
        scale < 0 || isSpecialNumeric(t) ? specialDecimalText(t) : BigDecimal.parse(t).setScale(scale).toString(),
      '',
    );
  }
  if (typmod >= 4) {
    const precision = ((typmod - 4) >> 16) & 0xffff;
    const scale = (typmod - 4) & 0xffff;
    return simple(
      () => SemanticTypes.decimal(scale, precision),
      (t) => (isSpecialNumeric(t) ? null : BigDecimal.parse(t).setScale(scale)),
      new BigDecimal(0n, scale),
    );
  }
  const schema = SemanticTypes.variableScaleDecimal().build();
  const scaleField = schema.field('scale')!;
  const valueField = schema.field('value')!;
  const vsd = (d: BigDecimal): Struct => {
    const stripped = stripFractionZeros(d);
    return new Struct(schema)
      .put(scaleField, stripped.scale)
      .put(valueField, bigintToTwosComplement(stripped.unscaled));
  };
  return simple(
    () => SemanticTypes.variableScaleDecimal(),
    (t) => (isSpecialNumeric(t) ? null : vsd(BigDecimal.parse(t))),
    vsd(new BigDecimal(0n, 0)),
  );
}

/** Debezium reads variable-scale numerics through pgjdbc, which drops trailing fraction zeros (1.000 → 1, 2.50 → 2.5). */
function stripFractionZeros(d: BigDecimal): BigDecimal {
  let { unscaled, scale } = d;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return new BigDecimal(unscaled, scale);
}

const isSpecialNumeric = (t: string): boolean => t === 'NaN' || t === 'Infinity' || t === '-Infinity';

/** decimal.handling.mode=string: plain text; special values as SpecialValueDecimal names. */
function specialDecimalText(t: string): string {
  if (t === 'NaN') return 'NAN';
  if (t === 'Infinity') return 'POSITIVE_INFINITY';
  if (t === '-Infinity') return 'NEGATIVE_INFINITY';
  return t;
}

export function moneyMapping(s: MappingSettings): TypeMapping {
  const scale = s.moneyFractionDigits;
  const parse = (t: string, at = scale): BigDecimal => {
    const neg = t.includes('-') || t.startsWith('(');
    const digits = t.replace(/[^0-9.]/g, '');
    const d = BigDecimal.parse(digits === '' ? '0' : digits).setScale(at);
    return neg ? new BigDecimal(-d.unscaled, d.scale) : d;
  };
  if (s.decimalMode === 'double')
    return simple(
      () => SchemaBuilder.float64(),
      (t) => parse(t).toNumber(),
      0,
    );
  // string: the server's text at its own scale (money.fraction.digits is not applied), as Debezium.
  if (s.decimalMode === 'string')
    return simple(
      () => SchemaBuilder.string(),
      (t) => parse(t, (t.split('.')[1] ?? '').replace(/\D/g, '').length).toString(),
      '',
    );
  return simple(() => SemanticTypes.decimal(scale), parse, new BigDecimal(0n, scale));
}
