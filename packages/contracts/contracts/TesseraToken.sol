// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ITesseraToken} from "./ITesseraToken.sol";

/// @title TesseraToken
/// @notice The subnet's reward token. Emissions are minted only by the subnet contract
/// (`minter`, immutable). A genesis allocation is minted once, at deployment, so that a new
/// subnet can fund its first validators and delegators: emissions need staked validators,
/// and staking needs tokens.
contract TesseraToken is ERC20, ITesseraToken {
    /// @inheritdoc ITesseraToken
    address public immutable minter;

    /// @param name_ ERC-20 name.
    /// @param symbol_ ERC-20 symbol.
    /// @param minter_ The subnet contract; deploy scripts pass its precomputed address.
    /// @param genesisHolder Receives `genesisSupply` now; may be zero only when the supply is zero.
    /// @param genesisSupply Tokens minted at deployment, in the smallest unit.
    constructor(
        string memory name_,
        string memory symbol_,
        address minter_,
        address genesisHolder,
        uint256 genesisSupply
    ) ERC20(name_, symbol_) {
        if (minter_ == address(0)) revert Token__InvalidParameter("minter");
        if (genesisSupply > 0 && genesisHolder == address(0)) revert Token__InvalidParameter("genesisHolder");
        minter = minter_;
        if (genesisSupply > 0) {
            _mint(genesisHolder, genesisSupply);
            emit GenesisMinted(genesisHolder, genesisSupply);
        }
    }

    /// @inheritdoc ITesseraToken
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert Token__NotMinter(msg.sender);
        _mint(to, amount);
    }
}
