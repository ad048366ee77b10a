import { cidrs } from '../support/motoGaps';

describe('Fn::Cidr as the moto adapter computes it', () => {
  it('splits a block like CloudFormation does', () => {
    expect(cidrs('10.80.0.0/16', 4, 12)).toEqual(['10.80.0.0/20', '10.80.16.0/20', '10.80.32.0/20', '10.80.48.0/20']);
    expect(cidrs('192.168.0.0/24', 2, 6)).toEqual(['192.168.0.0/26', '192.168.0.64/26']);
    expect(() => cidrs('10.0.0.0/24', 4, 12)).toThrow(/do not fit/);
  });
});
