// A dapp bundled by Vite: imports the package by name, as a user would.
import { toChecksumAddress, version } from 'wallet-linker';

document.getElementById('out').textContent = `${version()} ${toChecksumAddress('0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359')}`;
