// File types found from the content (security F18): the six allowed kinds, look-alikes, extension agreement, and ZIPs
// that lie about their contents. Pure functions, no database.
import { expect } from 'chai';
import { detectFileType, extensionOf, verifyZipEntries, ZIP_LIMITS } from '../../server/domain/fileTypes';
import * as files from '../fixtures/files';

function kindOf(buf: Buffer): string {
  const d = detectFileType(buf);
  return d.ok ? d.type.kind : `refused:${d.reason}`;
}

describe('documents: file types from the content', () => {
  it('recognises PDF, PNG, JPEG, DOCX, XLSX and ODT', () => {
    expect(kindOf(files.pdf())).to.equal('pdf');
    expect(kindOf(files.png())).to.equal('png');
    expect(kindOf(files.jpeg())).to.equal('jpeg');
    expect(kindOf(files.docx())).to.equal('docx');
    expect(kindOf(files.xlsx())).to.equal('xlsx');
    expect(kindOf(files.odt())).to.equal('odt');
  });

  it('refuses look-alikes: HTML, text, empty, a plain ZIP, an OpenDocument spreadsheet, a truncated ZIP', () => {
    expect(kindOf(files.html())).to.equal('refused:unknown');
    expect(kindOf(Buffer.from('name,amount\nA,1\n'))).to.equal('refused:unknown');
    expect(kindOf(Buffer.alloc(0))).to.equal('refused:unknown');
    expect(kindOf(Buffer.from(' %PDF-1.4'))).to.equal('refused:unknown');
    expect(kindOf(files.zip([{ name: 'notes.txt', data: 'hello' }]))).to.equal('refused:unknown');
    expect(kindOf(files.odt('application/vnd.oasis.opendocument.spreadsheet'))).to.equal('refused:unknown');
    const docx = files.docx();
    expect(kindOf(docx.subarray(0, docx.length - 10))).to.equal('refused:malformed');
  });

  it('refuses ZIPs over the entry or size limits from the central directory alone', () => {
    expect(ZIP_LIMITS).to.deep.equal({ maxUncompressedBytes: 100 * 1024 * 1024, maxEntries: 2000 });
    expect(kindOf(files.manyEntriesDocx())).to.equal('refused:zip-bomb');
    expect(kindOf(files.docx([{ name: 'word/a.bin', data: 'x', declaredSize: 60 * 1024 * 1024 }, { name: 'word/b.bin', data: 'y', declaredSize: 41 * 1024 * 1024 }]))).to.equal('refused:zip-bomb');
    expect(kindOf(files.docx(Array.from({ length: 1998 }, (_v, i) => ({ name: `word/p${i}.xml`, data: '', store: true }))))).to.equal('docx');
  });

  it('catches an entry that expands beyond the size it declares, without expanding it further', async () => {
    const liar = files.docx([{ name: 'word/media/zeros.bin', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 1000 }]);
    expect(kindOf(liar)).to.equal('docx');
    expect(await verifyZipEntries(liar)).to.deep.include({ ok: false, reason: 'zip-bomb' });
    expect(await verifyZipEntries(files.docx())).to.equal(undefined);
    expect(await verifyZipEntries(files.odt())).to.equal(undefined);
    const short = files.docx([{ name: 'word/x.bin', data: 'abc', declaredSize: 10 }]);
    expect(await verifyZipEntries(short)).to.deep.include({ ok: false, reason: 'malformed' });
  });

  it('reads the extension of the last path part only, lower-cased', () => {
    expect(extensionOf('Report.PDF')).to.equal('pdf');
    expect(extensionOf('a/b.c/report')).to.equal('');
    expect(extensionOf('.pdf')).to.equal('');
    expect(extensionOf('archive.tar.gz')).to.equal('gz');
  });
});
