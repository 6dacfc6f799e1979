/** Mocha setup: chai-as-promised for `expect(promise).to.be.rejectedWith(text)`. */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';

chai.use(chaiAsPromised);
