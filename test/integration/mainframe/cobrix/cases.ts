/**
 * Cobrix's own decode cases (spark-cobol's integration tests over the files of its data/
 * directory, AbsaOSS/cobrix v2.6.9, Apache-2.0; the files used are in ./data, see NOTICE): the
 * copybook, the data file and the options each Cobrix test passes. `expect` is `pass` (equal value
 * for value to Cobrix's own reader run on the same file) or the reason of an intentional
 * difference; docs/mainframe.md keeps the same table.
 */
export interface CobrixCase {
  id: string;
  /** Cobrix's test (spark-cobol/src/test/.../integration). */
  spec: string;
  copybook: string;
  data: string;
  options: Record<string, string>;
  expect: 'pass' | { differs: string };
}

const C = (
  id: string,
  spec: string,
  copybook: string,
  data: string,
  options: Record<string, string>,
  expect: CobrixCase['expect'] = 'pass',
): CobrixCase => ({ id, spec, copybook, data, options, expect });

/** The one intentional difference of the multi-segment files: a value Cobrix cannot hold in its Java int. */
const UNSIGNED_INT = {
  differs:
    'an unsigned 4-byte COMP (PIC 9(8)) holding 2^31 or more: Cobrix gives null (it reads a Java int), Tributary the value the bytes hold (binary.truncation=bin reads the whole storage)',
};

const segmentsTest5 = {
  record_format: 'V',
  segment_field: 'SEGMENT_ID',
  segment_id_level0: 'C',
  segment_id_level1: 'P',
  generate_record_id: 'true',
  schema_retention_policy: 'collapse_root',
  segment_id_prefix: 'A',
};

export const COBRIX_CASES: CobrixCase[] = [
  C('test1', 'Test1FixedLengthRecordsSpec', 'test1_copybook.cob', 'test1_data_example.bin', {
    schema_retention_policy: 'collapse_root',
  }),
  C('test1a', 'Test2RecordOffsetsSpec', 'test1a_copybook.cob', 'test1_data_example.bin', {
    schema_retention_policy: 'collapse_root',
    record_start_offset: '2',
    record_end_offset: '27',
  }),
  C('test3', 'Test3SegmentFieldSpec', 'test3_copybook.cob', 'test3_data_TRAN2.AUG31.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    segment_field: 'SIGNATURE',
    segment_filter: 'S9276511',
  }),
  C('test3_trim_none', 'Test3SegmentFieldSpec', 'test3_copybook.cob', 'test3_data_TRAN2.AUG31.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    segment_field: 'SIGNATURE',
    segment_filter: 'S9276511',
    string_trimming_policy: 'none',
  }),
  C('test3_trim_left', 'Test3SegmentFieldSpec', 'test3_copybook.cob', 'test3_data_TRAN2.AUG31.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    segment_field: 'SIGNATURE',
    segment_filter: 'S9276511',
    string_trimming_policy: 'left',
  }),
  C('test3_trim_right', 'Test3SegmentFieldSpec', 'test3_copybook.cob', 'test3_data_TRAN2.AUG31.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    segment_field: 'SIGNATURE',
    segment_filter: 'S9276511',
    string_trimming_policy: 'right',
  }),
  C('test4', 'Test4MultisegmentSpec', 'test4_copybook.cob', 'test4_data_COMP.DETAILS.SEP30.DATA.dat', {
    ...segmentsTest5,
    encoding: 'ascii',
  }),
  C('test4a', 'Test4MultisegmentSpec', 'test4_copybook.cob', 'test4_data_COMP.DETAILS.SEP30.DATA.dat', {
    ...segmentsTest5,
    encoding: 'ascii',
    ascii_charset: 'ISO-8859-1',
    improved_null_detection: 'false',
  }),
  C(
    'test5',
    'Test5MultisegmentSpec',
    'test5_copybook.cob',
    'test5_data_COMP.DETAILS.SEP30.DATA.dat',
    { ...segmentsTest5, improved_null_detection: 'false' },
    UNSIGNED_INT,
  ),
  C(
    'test5b',
    'Test5MultisegmentSpec',
    'test5_copybook.cob',
    'test5b_data_COMP.DETAILS.FEB02.DATA.RDW.BE.dat',
    { ...segmentsTest5, is_rdw_big_endian: 'true', improved_null_detection: 'false' },
    UNSIGNED_INT,
  ),
  C(
    'test5c',
    'Test5MultisegmentSpec',
    'test5_copybook.cob',
    'test5_data_COMP.DETAILS.SEP30.DATA.dat',
    {
      record_format: 'V',
      segment_field: 'SEGMENT_ID',
      segment_id_level0: 'C',
      generate_record_id: 'true',
      schema_retention_policy: 'collapse_root',
      segment_id_prefix: 'B',
      'redefine_segment_id_map:0': 'STATIC-DETAILS => C,D',
      'redefine-segment-id-map:1': 'CONTACTS => P',
    },
    UNSIGNED_INT,
  ),
  C(
    'test6',
    'Test6TypeVarietySpec',
    'test6_copybook.cob',
    'test6_data_INTEGR.TYPES.NOV28.DATA.dat',
    { schema_retention_policy: 'collapse_root' },
    {
      differs:
        "FLOAT-01 COMP-1 (IBM hexadecimal single precision) only: Cobrix 2.6.9 masks the exponent with 0x80000000 and reads 0.0 (or garbage); Tributary decodes IBM short floats per z/Architecture (X'C6EE4FDC' = -15618012); the 194 other values of every record are equal",
    },
  ),
  C('test6_ieee', 'Test6TypeVarietySpec', 'test6_copybook.cob', 'test6_data_INTEGR.TYPES.NOV28.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    floating_point_format: 'IEEE754',
    strict_sign_overpunching: 'true',
  }),
  C('test7', 'Test7FillersSpec', 'test7_fillers.cob', 'test7_data_TEST.FILLERS.DEC07.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    drop_group_fillers: 'true',
    drop_value_fillers: 'true',
  }),
  C('test7_keep_group_fillers', 'Test7FillersSpec', 'test7_fillers.cob', 'test7_data_TEST.FILLERS.DEC07.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    drop_group_fillers: 'false',
    drop_value_fillers: 'true',
  }),
  C('test8', 'Test8NonPrintables', 'test8_copybook.cob', 'test8_data_TRAN2.MAR14.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    ebcdic_code_page: 'common',
  }),
  C('test8_extended', 'Test8NonPrintables', 'test8_copybook.cob', 'test8_data_TRAN2.MAR14.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    ebcdic_code_page: 'common_extended',
    string_trimming_policy: 'none',
  }),
  C(
    'test9_cp037',
    'Test9CodePages',
    'test9_copybook.cob',
    'test9_data_TRAN.APR14.NPT.DATA.dat',
    { schema_retention_policy: 'collapse_root', ebcdic_code_page: 'cp037' },
    {
      differs:
        "Cobrix's cp037 table decodes 0x25 as CR and 0x0D as LF (swapped against IBM's cp037); Tributary follows IBM (both become spaces)",
    },
  ),
  C('test9_cp037_ext', 'Test9CodePages', 'test9_copybook.cob', 'test9_data_TRAN.APR14.NPT.DATA.dat', {
    schema_retention_policy: 'collapse_root',
    ebcdic_code_page: 'cp037_extended',
    string_trimming_policy: 'none',
  }),
  C('test10', 'Test10NonTerminalsSpec', 'test10_copybook.cob', 'test10_data_data.dat', {
    non_terminals: 'NAME,ACCOUNT-NO',
    encoding: 'ascii',
    schema_retention_policy: 'keep_original',
  }),
  C('test12', 'Test12MergeCopybooksSpec', 'test12_copybook.cob', 'test12_data_data.dat', {
    encoding: 'ascii',
    schema_retention_policy: 'keep_original',
  }),
  // copybooks: two files merged (their records redefine each other)
  C(
    'test12_merged',
    'Test12MergeCopybooksSpec',
    'test12_copybook_a.cob,test12_copybook_b.cob',
    'test12_data_data.dat',
    { encoding: 'ascii', schema_retention_policy: 'keep_original' },
  ),
  C(
    'test13a',
    'Test13aFixedLenFileHeadersSpec',
    'test13a_file_header_footer.cob',
    'test13a_data_TRAN2.JUN24.DATA.dat',
    { schema_retention_policy: 'collapse_root', file_start_offset: '10', file_end_offset: '12' },
  ),
  C(
    'test13b',
    'Test13bVarLenFileHeadersSpec',
    'test13b_vrl_file_headers.cob',
    'test13b_data_COMP.DETAILS.JUN02.DATA.RDW.BE.dat',
    {
      ...segmentsTest5,
      improved_null_detection: 'false',
      is_rdw_big_endian: 'true',
      file_start_offset: '100',
      file_end_offset: '120',
    },
    UNSIGNED_INT,
  ),
  C(
    'test14',
    'Test14RdwAdjustmentsSpec',
    'test14_copybook.cob',
    'test14_data_COMP.DETAILS.JUL02.DATA.dat',
    {
      ...segmentsTest5,
      'redefine_segment_id_map:0': 'STATIC-DETAILS => C,D',
      'redefine-segment-id-map:1': 'CONTACTS => P',
      rdw_adjustment: '-4',
    },
    UNSIGNED_INT,
  ),
  C(
    'test16',
    'Test16FixedLenSegmentRedefinesSpec',
    'test16_fix_len_segments.cob',
    'test16_data_ENTITY.DB.AUG12.DATA.FIX.LEN.dat',
    { schema_retention_policy: 'collapse_root' },
  ),
  C(
    'test16_segments',
    'Test16FixedLenSegmentRedefinesSpec',
    'test16_fix_len_segments.cob',
    'test16_data_ENTITY.DB.AUG12.DATA.FIX.LEN.dat',
    {
      schema_retention_policy: 'collapse_root',
      segment_field: 'SEGMENT_ID',
      'redefine_segment_id_map:0': 'COMPANY => C',
      'redefine-segment-id-map:1': 'PERSON => P',
      'redefine-segment-id-map:2': 'PO-BOX => B',
    },
  ),
  C('test17a', 'Test17HierarchicalSpec', 'test17_hierarchical.cob', 'test17_HIERARCHICAL.DATA.RDW.dat', {
    record_format: 'V',
    generate_record_id: 'true',
    schema_retention_policy: 'collapse_root',
    segment_field: 'SEGMENT_ID',
    'redefine_segment_id_map:1': 'COMPANY => 1',
    'redefine-segment-id-map:2': 'DEPT => 2',
    'redefine-segment-id-map:3': 'EMPLOYEE => 3',
    'redefine-segment-id-map:4': 'OFFICE => 4',
    'redefine-segment-id-map:5': 'CUSTOMER => 5',
    'redefine-segment-id-map:6': 'CONTACT => 6',
    'redefine-segment-id-map:7': 'CONTRACT => 7',
  }),
  C('test19', 'Test19DisplayNumParsingSpec', 'test19_display_num.cob', 'test19_display_num_data.dat', {
    generate_record_id: 'true',
    schema_retention_policy: 'collapse_root',
    improved_null_detection: 'false',
  }),
  C('test21', 'Test21VariableOccurs', 'test21_copybook.cob', 'test21_data_data.dat', {
    record_format: 'F',
    encoding: 'ascii',
    variable_size_occurs: 'true',
    schema_retention_policy: 'keep_original',
  }),
  C('test25', 'Test25OccursMappings', 'test25_copybook.cob', 'test25_data_data.dat', {
    encoding: 'ascii',
    occurs_mappings: '{"DETAIL1":{"A":0,"B":1},"DETAIL2":{"A":1,"B":2}}',
    variable_size_occurs: 'true',
    schema_retention_policy: 'keep_original',
  }),
];

/** Cases of this project's own (files written for the suite, decoded by Cobrix the same way). */
COBRIX_CASES.push(
  C(
    'tributary_types',
    'Tributary: COMP-3U, COMP-9, explicit point and blanks',
    'tributary_types.cob',
    'tributary_types_data.dat',
    { schema_retention_policy: 'collapse_root' },
  ),
);
