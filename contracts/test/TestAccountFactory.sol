// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {TestSmartAccount} from "./TestSmartAccount.sol";

/// @title CREATE2 factory of TestSmartAccount, for tests only (EIP-6492 counterfactual accounts)
contract TestAccountFactory {
    event AccountDeployed(address indexed account, address indexed owner, bytes32 salt);

    /// Deploys the account of (`owner`, `salt`), or returns it when it is already deployed.
    function deploy(address owner, bytes32 salt) external returns (address account) {
        account = addressOf(owner, salt);
        if (account.code.length == 0) {
            TestSmartAccount created = new TestSmartAccount{salt: salt}(owner);
            require(address(created) == account, "TestAccountFactory: address mismatch");
            emit AccountDeployed(account, owner, salt);
        }
    }

    /// The CREATE2 address of the account of (`owner`, `salt`), deployed or not.
    function addressOf(address owner, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(TestSmartAccount).creationCode, abi.encode(owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }
}
