import JSZip from 'jszip';
import { planSummary } from '../domain';
import { at, runningPlan } from './fixtures';
import { congressSummaryDocx, dateLine, symbolOf, unitReportDocx } from './party-document';

const NOW = at('2026-09-20');

/** The text of word/document.xml, run by run, as Word would read it. */
async function documentText(docx: Buffer): Promise<{ xml: string; texts: string[] }> {
  const zip = await JSZip.loadAsync(docx);
  expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml']));
  const xml = await zip.file('word/document.xml')!.async('string');
  const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);
  return { xml, texts };
}

describe('unit check-in report (docx)', () => {
  it('has the Party format: header, number and symbol, date line, title, tables, recipients, signature', async () => {
    const { texts, xml } = await documentText(
      await unitReportDocx(runningPlan(), { kind: 'check-in', at: NOW, place: 'Thái Bình' }),
    );
    const all = texts.join('\n');
    expect(texts.slice(0, 7)).toEqual([
      'TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI',
      'BỘ PHẬN TUYÊN TRUYỀN',
      '*',
      'Số       -BC/TB-BPTT',
      'ĐẢNG CỘNG SẢN VIỆT NAM',
      ' ',
      'Thái Bình, ngày 20 tháng 9 năm 2026',
    ]);
    expect(texts).toContain('BÁO CÁO');
    expect(texts).toContain('tiến độ thực hiện nhiệm vụ của Bộ phận tuyên truyền (kỳ giao ban 20/09/2026)');
    // The progress table in the offices' reporting categories.
    for (const word of [
      'Hoàn thành đúng hạn',
      'Hoàn thành quá hạn',
      'Đang thực hiện trong hạn',
      'Đang thực hiện quá hạn',
      'Chưa đến hạn',
    ]) {
      expect(texts).toContain(word);
    }
    // Agency names and Vietnamese words, never codes or English statuses.
    expect(texts).toContain('Báo tỉnh');
    expect(texts).toContain('Đang thực hiện quá hạn (6 ngày)');
    expect(all).toContain('cơ quan chủ trì: Báo tỉnh');
    expect(all).not.toMatch(/\b(BAO|DPTTH|STTTT|in_progress|overdue|active|closed)\b/);
    expect(all).toContain('trạng thái kế hoạch: đang thực hiện');
    expect(texts).toContain('Nơi nhận:');
    expect(texts).toContain('- Thường trực Tiểu ban (để báo cáo),');
    expect(texts).toContain('- Lưu Bộ phận tuyên truyền.');
    expect(texts.slice(-6)).toEqual(['T/M BỘ PHẬN', 'TRƯỞNG BỘ PHẬN', ' ', ' ', ' ', 'Phạm Thị Thu Hằng']);
    // Times New Roman, A4 with the Party's margins (left 30 mm, right 15 mm).
    expect(xml).toContain('w:ascii="Times New Roman"');
    expect(xml).toMatch(/<w:pgSz w:w="11907" w:h="16840"/);
    expect(xml).toMatch(/<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701"/);
    // "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined.
    expect(xml).toMatch(/<w:b\/>.*?<w:u w:val="single"\/>.*?ĐẢNG CỘNG SẢN VIỆT NAM/s);
  });

  it('as a closing report is titled a summary', async () => {
    const { texts } = await documentText(await unitReportDocx(runningPlan(), { kind: 'closing', at: NOW }));
    expect(texts).toContain(
      'tổng kết công tác của Bộ phận tuyên truyền phục vụ Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2020-2025',
    );
    expect(texts).toContain('……………, ngày 20 tháng 9 năm 2026');
  });
});

describe('congress summary (docx)', () => {
  it('lists every unit by name with its results, signed by the head of the subcommittee', async () => {
    const state = runningPlan();
    const { texts } = await documentText(
      await congressSummaryDocx(
        state.congress,
        [{ unitName: 'Bộ phận tuyên truyền', progress: planSummary(state, NOW), state }],
        {
          at: NOW,
          place: 'Thái Bình',
          decisions: 2,
        },
      ),
    );
    expect(texts.slice(0, 4)).toEqual(['TỈNH ỦY', 'TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI', '*', 'Số       -BC/TB']);
    expect(texts).toContain('Bộ phận tuyên truyền');
    expect(texts).toContain('Đang thực hiện');
    expect(texts).toContain('2/7');
    expect(texts.join('\n')).toContain('Bộ phận tuyên truyền: Mở chuyên trang, chuyên mục về Đại hội');
    expect(texts.at(-1)).toBe('Trần Văn Chung');
  });
});

describe('helpers', () => {
  it('write the date line with the place, or dots for the clerk', () => {
    expect(dateLine('Hà Nội', at('2027-01-05'), 'Asia/Ho_Chi_Minh')).toBe('Hà Nội, ngày 05 tháng 1 năm 2027');
    expect(dateLine(undefined, at('2027-01-05'), 'Asia/Ho_Chi_Minh')).toBe('……………, ngày 05 tháng 1 năm 2027');
  });

  it('take the symbol from the plan’s document number', () => {
    expect(symbolOf('03-KH/TB-BPTT', 'BPTT')).toBe('TB-BPTT');
    expect(symbolOf(undefined, 'BPTT')).toBe('BPTT');
  });
});
