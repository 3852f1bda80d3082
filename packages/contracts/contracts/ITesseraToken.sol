// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title The reward token of a Tessera subnet.
/// @notice An ERC-20 whose only minter, fixed at deployment, is the subnet contract. The
/// genesis allocation minted once in the constructor is the only other source of tokens.
interface ITesseraToken is IERC20 {
    /// @notice `caller` tried to mint but is not the subnet contract.
    error Token__NotMinter(address caller);
    /// @notice A constructor argument is unusable (a zero minter, a genesis supply without holder).
    error Token__InvalidParameter(string name);

    /// @notice The genesis allocation went to `holder` at deployment.
    event GenesisMinted(address indexed holder, uint256 amount);

    /// @notice The only account allowed to mint: the subnet contract.
    function minter() external view returns (address);

    /// @notice Mints `amount` to `to`. Only the minter may call it.
    function mint(address to, uint256 amount) external;
}
