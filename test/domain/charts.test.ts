// The server-rendered SVG chart: escaped text, an accessible name, bars to scale, the same numbers as the totals.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { barChartSvg, socialValueChart, socialValueSummary } from '../../server/views/charts';
import { socialValueTotals } from '../../server/domain/socialValueTotals';

const evil = '<script>alert(1)</script>"&\'';

describe('SVG charts', () => {
  it('escapes every text: title, description, legend, labels and bar texts', () => {
    const svg = barChartSvg({ title: evil, description: evil, series: [evil], groups: [{ label: evil, bars: [{ value: 1, text: evil }] }] });
    expect(svg).not.to.include('<script>');
    expect(svg).not.to.include('"&\'');
    expect(svg).to.include('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&apos;');
    const $ = cheerio.load(svg, { xml: true });
    expect($('text').first().text()).to.equal(evil);
  });

  it('has role img, an accessible name from its <title> and <desc>, and a well-formed document', () => {
    const svg = barChartSvg({ title: 'Social value', description: 'Two measures', series: ['Committed'], groups: [] });
    const $ = cheerio.load(svg, { xml: true });
    const root = $('svg');
    expect(root.attr('role')).to.equal('img');
    expect(root.attr('aria-labelledby')).to.equal('chart-title chart-desc');
    expect($('title#chart-title').text()).to.equal('Social value');
    expect($('desc#chart-desc').text()).to.equal('Two measures');
    expect(root.attr('xmlns')).to.equal('http://www.w3.org/2000/svg');
    expect(svg).to.include('Nothing to show yet');
  });

  it('draws bars to one scale: the largest value fills the bar area, half the value half the width', () => {
    const svg = barChartSvg({ title: 't', description: 'd', series: ['a', 'b'], groups: [{ label: 'g', bars: [{ value: 200, text: 'x' }, { value: 100, text: 'y' }] }] });
    const $ = cheerio.load(svg, { xml: true });
    const widths = $('rect[height="22"]').map((_, r) => Number($(r).attr('width'))).get();
    expect(widths).to.deep.equal([420, 210]);
  });

  it('charts social value with the same numbers as the totals, labelled in words, not colour alone', () => {
    const totals = socialValueTotals(
      [{ id: 'c1', code: 'NT1', description: 'Local jobs <b>', unit: 'FTE', quantity: 1.5, proxyValuePence: 3_000_000, proxyYear: 2026 }],
      [{ commitment: 'c1', quantityDelivered: 0.5, status: 'accepted' }],
    );
    const chart = socialValueChart('Social value for CW-1', totals);
    const svg = barChartSvg(chart);
    const texts = cheerio.load(svg, { xml: true })('text').map((_, el) => cheerio.load(svg, { xml: true })(el).text()).get();
    expect(texts).to.include('NT1: Local jobs <b>');
    expect(texts).to.include('Committed: £45,000 (1.5 FTE)');
    expect(texts).to.include('Delivered: £15,000 (0.5 FTE)');
    expect(chart.description).to.equal(socialValueSummary(totals));
    expect(chart.description).to.include('£15,000 delivered (accepted reports) of £45,000 committed, 33%');
  });
});
